/**
 * NVIDIA reference integrity manifests (RIMs): SWID tags (ISO/IEC 19770-2 + TCG RIM information model) with an
 * enveloped XMLDSig signature, the RIM signing chain to the pinned NVIDIA RIM root, the golden-measurement comparison
 * against a report, RIM ids, and RIM sources (a local directory, NVIDIA's RIM service).
 */
package dev.coco4j.gpu.rim;
