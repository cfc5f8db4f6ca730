/** Implementation helpers of the GPU module; not exported. */
package dev.coco4j.gpu.internal;
