/** Internal helpers of the TDX module; not exported. */
package dev.coco4j.tdx.internal;
