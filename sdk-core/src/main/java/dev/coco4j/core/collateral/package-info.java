/** Collateral fetching: one configurable HTTP client, bounded retries, a memory and disk cache, offline mode. */
package dev.coco4j.core.collateral;
