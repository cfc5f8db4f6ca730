/** Service interfaces for attesters and verifiers, and their discovery through {@link java.util.ServiceLoader}. */
package dev.coco4j.core.spi;
