package dev.digestflow.app;

/** The topics, ids and alias one pipeline uses; the contract names by default, prefixed ones in tests. */
public record PipelineNames(String raw, String files, String tagged, String dlq, String tagTopicPrefix, String enrichAppId, String sinkGroup, String alias) {

    public static PipelineNames defaults() {
        return new PipelineNames("digest.items.raw", "digest.files", "digest.items.tagged", "digest.items.dlq", "digest.tag.", "digestflow-enrich",
                "digestflow-index-sink", "digest-items");
    }

    /** Unique names for one test: every topic, group and the alias get the prefix. */
    public static PipelineNames prefixed(String prefix) {
        PipelineNames d = defaults();
        return new PipelineNames(prefix + "." + d.raw, prefix + "." + d.files, prefix + "." + d.tagged, prefix + "." + d.dlq, prefix + "." + d.tagTopicPrefix,
                prefix + "-" + d.enrichAppId, prefix + "-" + d.sinkGroup, (prefix + "-" + d.alias).toLowerCase(java.util.Locale.ROOT));
    }
}
