/** Implementation details shared by coco4j modules; not API, not exported to users. */
package dev.coco4j.core.internal;
