/** Implementation helpers of sdk-azure; not exported. */
package dev.coco4j.azure.internal;
