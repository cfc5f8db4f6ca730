/** The Linux configfs-tsm report interface ({@code /sys/kernel/config/tsm/report}), shared by SNP and TDX guests. */
package dev.coco4j.core.tsm;
