/** Verification building blocks: raw ECDSA signatures, certificate chains under product rules, and CRLs. */
package dev.coco4j.core.crypto;
