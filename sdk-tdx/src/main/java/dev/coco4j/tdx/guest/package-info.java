/**
 * TDX evidence inside a guest: {@link dev.coco4j.tdx.guest.TdxAttester} (quotes through configfs-tsm, provider
 * {@code tdx_guest}) and {@link dev.coco4j.tdx.guest.TdxGuestDevice} (the local, MAC'd TDREPORT through
 * {@code /dev/tdx_guest}, {@code TDX_CMD_GET_REPORT0}, via Panama FFM).
 */
package dev.coco4j.tdx.guest;
