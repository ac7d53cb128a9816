package dev.digestflow.sink.index;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.mapping.TypeMapping;
import co.elastic.clients.elasticsearch.indices.GetAliasResponse;
import co.elastic.clients.json.JsonData;

/**
 * Creates or updates, idempotently, what the sink writes into: a composable index template for
 * {@code <alias>*} with explicit mappings, and the alias with its write index {@code <alias>-000001}.
 * Safe to run from several instances at once and on every start: the template is overwritten with
 * the same body, an existing alias has the (additive) mappings applied to its indices, and a lost
 * race to create the first index is not an error.
 */
public final class IndexSetup {

    public static final String MAPPINGS_RESOURCE = "/elasticsearch/digest-items-template.json";
    /** Bumped whenever the mappings change, so {@code GET _index_template} shows which sink wrote it. */
    public static final long TEMPLATE_VERSION = 1;
    private static final Logger LOG = LoggerFactory.getLogger(IndexSetup.class);

    private final ElasticsearchClient client;
    private final String alias;
    private final String templateName;
    private final int shards;
    private final String autoExpandReplicas;

    public IndexSetup(ElasticsearchClient client, String alias, String templateName, int shards, String autoExpandReplicas) {
        this.client = client;
        this.alias = alias;
        this.templateName = templateName;
        this.shards = shards;
        this.autoExpandReplicas = autoExpandReplicas;
    }

    /** The mappings, as shipped in the jar (also read by the dashboard tests). */
    public static String mappingsJson() {
        try (InputStream in = IndexSetup.class.getResourceAsStream(MAPPINGS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(MAPPINGS_RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String firstIndexName() {
        return alias + "-000001";
    }

    /** Puts the template, then makes sure the alias exists with a write index. Returns the write index. */
    public String ensure() throws IOException {
        String mappings = mappingsJson();
        client.indices().putIndexTemplate(t -> t.name(templateName).indexPatterns(alias + "*").priority(200L).version(TEMPLATE_VERSION)
                .meta(Map.of("managed_by", JsonData.of("digestflow index-sink")))
                .template(m -> m.mappings(TypeMapping.of(tm -> tm.withJson(new StringReader(mappings))))
                        .settings(s -> s.numberOfShards(String.valueOf(shards)).autoExpandReplicas(autoExpandReplicas)
                                .refreshInterval(r -> r.time("1s")))));
        if (client.indices().existsAlias(a -> a.name(alias)).value()) {
            return updateExisting(mappings);
        }
        if (client.indices().exists(e -> e.index(alias)).value()) {
            throw new IllegalStateException("an index named '" + alias + "' exists, but the sink writes through an alias of that name."
                    + " Reindex it into " + firstIndexName() + " and delete it, or choose another alias with index.alias");
        }
        try {
            client.indices().create(c -> c.index(firstIndexName()).aliases(alias, a -> a.isWriteIndex(true)));
            LOG.info("created index {} with write alias {}", firstIndexName(), alias);
        } catch (ElasticsearchException e) {
            if (!"resource_already_exists_exception".equals(e.error().type())) {
                throw e;
            }
            LOG.info("index {} was created concurrently by another instance", firstIndexName());
        }
        return firstIndexName();
    }

    private String updateExisting(String mappings) throws IOException {
        GetAliasResponse current = client.indices().getAlias(a -> a.name(alias));
        String writeIndex = current.result().entrySet().stream()
                .filter(e -> Boolean.TRUE.equals(e.getValue().aliases().get(alias).isWriteIndex()) || current.result().size() == 1)
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalStateException("alias '" + alias + "' points at " + current.result().keySet()
                        + " but none is its write index; set is_write_index on one of them"));
        // Additive mapping changes apply in place; a conflicting change fails here, loudly, at start-up.
        client.indices().putMapping(p -> p.index(alias).withJson(new StringReader(mappings)));
        LOG.info("alias {} exists (write index {}); template {} and mappings are up to date", alias, writeIndex, templateName);
        return writeIndex;
    }
}
