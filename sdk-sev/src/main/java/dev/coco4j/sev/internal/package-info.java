/** Implementation details of sdk-sev; not API. */
package dev.coco4j.sev.internal;
