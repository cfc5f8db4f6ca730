/** JMH benchmarks: each class pairs SDK operations ({@code sdk*}) with raw baselines ({@code baseline*}). */
package dev.coco4j.benchmarks;
