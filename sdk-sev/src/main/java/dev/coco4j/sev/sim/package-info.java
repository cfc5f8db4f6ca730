/** A simulated SEV-SNP platform with its own ARK/ASK/VCEK, for development and tests. Never trusted by default. */
package dev.coco4j.sev.sim;
