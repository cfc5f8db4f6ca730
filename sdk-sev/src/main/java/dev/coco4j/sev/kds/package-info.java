/** AMD Key Distribution Service client: VCEK, VLEK, certificate chain and CRL URLs, fetched through the core collateral fetcher with caching. */
package dev.coco4j.sev.kds;
