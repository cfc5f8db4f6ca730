/** Policy over verified SEV-SNP reports: measurement, report data, host data, TCB minimums, VMPL, guest policy and platform-info requirements. */
package dev.coco4j.sev.validate;
