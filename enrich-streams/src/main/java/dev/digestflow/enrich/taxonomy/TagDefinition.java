package dev.digestflow.enrich.taxonomy;

import java.util.List;

/** One tag: its name (used in topic names), a label, weighted terms, and exclusions that veto it. */
public record TagDefinition(String name, String label, double weight, List<Term> terms, List<Term> exclusions) {
}
