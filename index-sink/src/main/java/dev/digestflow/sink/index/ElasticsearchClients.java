package dev.digestflow.sink.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;
import org.apache.kafka.common.config.ConfigException;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.ElasticsearchTransport;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import dev.digestflow.schema.tls.TrustStores;
import dev.digestflow.sink.config.SinkConfig;

/**
 * Builds the official client from the sink's settings: a URL list (the low-level client spreads
 * requests and fails over), basic auth or an API key as a default header, and TLS trusting a PEM CA.
 * Credentials go into headers only; nothing here logs them.
 */
public final class ElasticsearchClients {

    private ElasticsearchClients() {
    }

    public static ElasticsearchClient create(SinkConfig config) {
        return new ElasticsearchClient(transport(config));
    }

    /** A transport to one unauthenticated URL with default timeouts, for tools and tests that only read. */
    public static ElasticsearchTransport transport(String url) {
        return transport(new SinkConfig(Map.of(SinkConfig.ES_URLS, url)));
    }

    /** One transport (connection pool) to share between the blocking and the async client. */
    public static ElasticsearchTransport transport(SinkConfig config) {
        List<String> urls = config.getList(SinkConfig.ES_URLS);
        HttpHost[] hosts = urls.stream().map(HttpHost::create).toArray(HttpHost[]::new);
        RestClientBuilder builder = RestClient.builder(hosts)
                .setRequestConfigCallback(rc -> rc.setConnectTimeout(config.getInt(SinkConfig.ES_CONNECT_TIMEOUT_MS))
                        .setSocketTimeout(config.getInt(SinkConfig.ES_REQUEST_TIMEOUT_MS)));
        Header auth = authHeader(config);
        if (auth != null) {
            builder.setDefaultHeaders(new Header[] {auth});
        }
        String caFile = config.getString(SinkConfig.ES_CA_FILE);
        if (!caFile.isBlank()) {
            SSLContext ssl = sslContext(Path.of(caFile));
            builder.setHttpClientConfigCallback(hc -> hc.setSSLContext(ssl));
        }
        return new RestClientTransport(builder.build(), new JacksonJsonpMapper());
    }

    static Header authHeader(SinkConfig config) {
        String apiKey = config.password(SinkConfig.ES_API_KEY).value();
        if (!apiKey.isEmpty()) {
            return new BasicHeader("Authorization", "ApiKey " + apiKey);
        }
        String user = config.getString(SinkConfig.ES_USERNAME);
        if (!user.isEmpty()) {
            String pair = user + ":" + config.password(SinkConfig.ES_PASSWORD).value();
            return new BasicHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return null;
    }

    static SSLContext sslContext(Path caFile) {
        try {
            KeyStore trust = TrustStores.pem(caFile);
            if (trust.size() == 0) {
                throw new ConfigException(SinkConfig.ES_CA_FILE, caFile.toString(), "holds no PEM certificate");
            }
            return TrustStores.sslContext(trust);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(SinkConfig.ES_CA_FILE, caFile.toString(), "cannot be read as PEM certificates: " + e.getMessage());
        }
    }
}
