/**
 * The Azure paravisor's HCL report: the attestation report the vTPM keeps in NV index {@code 0x01400001}, holding
 * the hardware report (SEV-SNP report or TDX TDREPORT) whose report data is the hash of the runtime claims JSON
 * (the variable data), which in turn carries the vTPM attestation key. Parsing only; no I/O, no trust decisions.
 */
package dev.coco4j.azure.hcl;
