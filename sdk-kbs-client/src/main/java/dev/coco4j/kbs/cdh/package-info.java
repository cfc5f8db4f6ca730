/**
 * A client of the in-guest Confidential Data Hub / Attestation Agent REST API ({@code api-server-rest}, default
 * {@code http://127.0.0.1:8006}): resources, attestation tokens and evidence obtained through the guest's own CDH.
 */
package dev.coco4j.kbs.cdh;
