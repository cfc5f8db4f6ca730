/** Field-level encryption of FHIR/JSON resources (PHI). */
package dev.coco4j.core.phi;
