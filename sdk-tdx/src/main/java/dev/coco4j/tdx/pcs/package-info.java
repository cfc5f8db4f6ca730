/**
 * Intel PCS v4 (and PCCS, and cloud caches speaking the same API) client for TDX collateral
 * ({@link dev.coco4j.tdx.pcs.PcsClient}), through the core collateral fetcher with caching until each document's
 * {@code nextUpdate}.
 */
package dev.coco4j.tdx.pcs;
