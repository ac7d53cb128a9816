/**
 * Kafka Streams dedup and tagging topology (issue: enrich-streams).
 *
 * <p>Not built yet: the module exists so the build, the contracts and the dependency graph are in
 * place. See the README's status section.
 */
package dev.digestflow.enrich;
