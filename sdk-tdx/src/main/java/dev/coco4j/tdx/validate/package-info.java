/**
 * Policy over a verified TDX quote ({@link dev.coco4j.tdx.validate.TdxPolicy},
 * {@link dev.coco4j.tdx.validate.TdxPolicyValidator}): measurements, attributes, report data, TCB minimums and
 * accepted TCB statuses; and the TDX {@link dev.coco4j.core.spi.Verifier} service.
 */
package dev.coco4j.tdx.validate;
