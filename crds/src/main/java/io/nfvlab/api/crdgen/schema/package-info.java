/**
 * Schema customizers the model's classes name in {@code @SchemaCustomizer}: build-time only (left out of the jar with
 * the rest of {@code crdgen}), and depending on no model package so that the model can name them without a cycle.
 */
package io.nfvlab.api.crdgen.schema;
