/** Obtaining SEV-SNP reports inside a guest: configfs-tsm first, /dev/sev-guest through Panama FFM as a fallback. */
package dev.coco4j.sev.guest;
