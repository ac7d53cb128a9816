package dev.digestflow.localstack.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.digestflow.schema.registry.CompatibilityLevel;

/**
 * A schema registry speaking the Confluent REST API (paths, status codes, {@code error_code} values
 * and the {@code application/vnd.schemaregistry.v1+json} media type), so Confluent's own clients and
 * serializers work against it unchanged. Avro only. State lives in {@link SchemaStore}.
 */
public final class RegistryServer implements AutoCloseable {

    public static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Pattern SUBJECT = Pattern.compile("^/subjects/([^/]+)/?$");
    private static final Pattern SUBJECT_VERSIONS = Pattern.compile("^/subjects/([^/]+)/versions/?$");
    private static final Pattern SUBJECT_VERSION = Pattern.compile("^/subjects/([^/]+)/versions/([^/]+)/?$");
    private static final Pattern SUBJECT_VERSION_SCHEMA = Pattern.compile("^/subjects/([^/]+)/versions/([^/]+)/schema/?$");
    private static final Pattern SCHEMA_BY_ID = Pattern.compile("^/schemas/ids/([^/]+)/?$");
    private static final Pattern RAW_SCHEMA_BY_ID = Pattern.compile("^/schemas/ids/([^/]+)/schema/?$");
    private static final Pattern SUBJECT_CONFIG = Pattern.compile("^/config/([^/]+)/?$");
    private static final Pattern COMPATIBILITY = Pattern.compile("^/compatibility/subjects/([^/]+)/versions/([^/]+)/?$");

    /** Seconds a client has to send a whole request (headers and body); the JDK's default is no limit. */
    static final String MAX_REQUEST_SECONDS_PROPERTY = "sun.net.httpserver.maxReqTime";

    static {
        // The JDK server reads each request on one of the executor's threads, with no time limit by
        // default: a client that sends half a request holds that thread for ever, and four such clients
        // stop the registry. This bounds the time to receive a request. The JDK reads the property once,
        // when its first server starts in the JVM, so it is set here, before this class creates one.
        if (System.getProperty(MAX_REQUEST_SECONDS_PROPERTY) == null) {
            System.setProperty(MAX_REQUEST_SECONDS_PROPERTY, "30");
        }
    }

    private final SchemaStore store;
    private final HttpServer server;
    private final ExecutorService executor;
    /** "Basic base64(user:password)" every request must carry, or null for an open registry (the default). */
    private final String requiredAuthorization;

    public RegistryServer(SchemaStore store, int port) throws IOException {
        this(store, port, null);
    }

    /**
     * A registry that answers only requests with HTTP basic auth for {@code userInfo}
     * ("user:password"), as Confluent's does with its basic-auth realm; 401 otherwise.
     */
    public RegistryServer(SchemaStore store, int port, String userInfo) throws IOException {
        this.store = store;
        this.requiredAuthorization = userInfo == null ? null
                : "Basic " + java.util.Base64.getEncoder().encodeToString(userInfo.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "schema-registry-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        try {
            if (requiredAuthorization != null && !constantTimeEquals(requiredAuthorization, exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"digestflow-registry\"");
                throw new RegistryError(401, 401, "Unauthorized");
            }
            Object body = route(method, path, query == null ? "" : query, exchange.getRequestBody());
            respond(exchange, 200, body);
        } catch (RegistryError e) {
            respond(exchange, e.status, JSON.createObjectNode().put("error_code", e.errorCode).put("message", e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("registry request {} {} failed", method, path, e);
            respond(exchange, 500, JSON.createObjectNode().put("error_code", 50001).put("message", "Error in the backend data store: " + e));
        } finally {
            exchange.close();
        }
    }

    private static boolean constantTimeEquals(String expected, String actual) {
        return actual != null && java.security.MessageDigest.isEqual(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                actual.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private Object route(String method, String path, String query, InputStream requestBody) throws IOException {
        Matcher m;
        if (path.equals("/") || path.isEmpty()) {
            return JSON.createObjectNode();
        }
        if (path.matches("^/subjects/?$")) {
            requireMethod(method, "GET");
            return store.subjects();
        }
        if ((m = SUBJECT_VERSIONS.matcher(path)).matches()) {
            String subject = decode(m.group(1));
            if (method.equals("GET")) {
                return store.versions(subject);
            }
            requireMethod(method, "POST");
            Schema schema = schemaFrom(requestBody);
            return JSON.createObjectNode().put("id", store.register(subject, schema));
        }
        if ((m = SUBJECT_VERSION_SCHEMA.matcher(path)).matches()) {
            requireMethod(method, "GET");
            String subject = decode(m.group(1));
            return new RawJson(store.byId(store.version(subject, version(m.group(2))).getValue()).toString());
        }
        if ((m = SUBJECT_VERSION.matcher(path)).matches()) {
            requireMethod(method, "GET");
            String subject = decode(m.group(1));
            Map.Entry<Integer, Integer> v = store.version(subject, version(m.group(2)));
            return metadata(subject, v.getKey(), v.getValue());
        }
        if ((m = SUBJECT.matcher(path)).matches()) {
            String subject = decode(m.group(1));
            if (method.equals("DELETE")) {
                return store.deleteSubject(subject);
            }
            requireMethod(method, "POST");
            Schema schema = schemaFrom(requestBody);
            Map.Entry<Integer, Integer> found = store.lookup(subject, schema);
            return metadata(subject, found.getKey(), found.getValue());
        }
        if ((m = RAW_SCHEMA_BY_ID.matcher(path)).matches()) {
            requireMethod(method, "GET");
            return new RawJson(store.byId(id(m.group(1))).toString());
        }
        if ((m = SCHEMA_BY_ID.matcher(path)).matches()) {
            requireMethod(method, "GET");
            return JSON.createObjectNode().put("schema", store.byId(id(m.group(1))).toString());
        }
        if (path.matches("^/config/?$")) {
            if (method.equals("GET")) {
                return JSON.createObjectNode().put("compatibilityLevel", store.globalLevel().name());
            }
            requireMethod(method, "PUT");
            CompatibilityLevel level = levelFrom(requestBody);
            store.setLevel(null, level);
            return JSON.createObjectNode().put("compatibility", level.name());
        }
        if ((m = SUBJECT_CONFIG.matcher(path)).matches()) {
            String subject = decode(m.group(1));
            if (method.equals("GET")) {
                CompatibilityLevel level = store.subjectLevel(subject).orElseGet(() -> {
                    if (query.contains("defaultToGlobal=true")) {
                        return store.globalLevel();
                    }
                    throw new RegistryError(404, 40408, "Subject '" + subject + "' does not have subject-level compatibility configured");
                });
                return JSON.createObjectNode().put("compatibilityLevel", level.name());
            }
            requireMethod(method, "PUT");
            CompatibilityLevel level = levelFrom(requestBody);
            store.setLevel(subject, level);
            return JSON.createObjectNode().put("compatibility", level.name());
        }
        if ((m = COMPATIBILITY.matcher(path)).matches()) {
            requireMethod(method, "POST");
            String subject = decode(m.group(1));
            int version = version(m.group(2));
            Schema schema = schemaFrom(requestBody);
            List<String> problems = store.compatibilityProblems(subject, version == -1 ? null : version, schema);
            ObjectNode result = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
            if (query.contains("verbose=true")) {
                ArrayNode messages = result.putArray("messages");
                problems.forEach(messages::add);
            }
            return result;
        }
        throw new RegistryError(404, 404, "HTTP 404 Not Found");
    }

    private ObjectNode metadata(String subject, int version, int id) {
        return JSON.createObjectNode().put("subject", subject).put("version", version).put("id", id)
                .put("schema", store.byId(id).toString());
    }

    private static void requireMethod(String actual, String expected) {
        if (!actual.equals(expected)) {
            throw new RegistryError(405, 405, "HTTP 405 Method Not Allowed");
        }
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** A version segment: a positive number, or "latest"/-1; anything else is 422/42202. */
    private static int version(String segment) {
        if (segment.equals("latest") || segment.equals("-1")) {
            return -1;
        }
        try {
            int v = Integer.parseInt(segment);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // Falls through to the Confluent error below.
        }
        throw new RegistryError(422, 42202, "The specified version '" + segment
                + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    private static int id(String segment) {
        try {
            return Integer.parseInt(segment);
        } catch (NumberFormatException e) {
            throw new RegistryError(404, 40403, "Schema " + segment + " not found");
        }
    }

    /** Bodies are schemas and small JSON objects; anything larger is refused before it is held in memory. */
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    private static JsonNode jsonBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            // Confluent's REST layer answers an oversized request with 413 and its error body.
            throw new RegistryError(413, 413, "Request body larger than " + MAX_BODY_BYTES + " bytes");
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new RegistryError(400, 400, "Request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new RegistryError(400, 400, "Unparseable JSON request body: " + e.getOriginalMessage());
        }
    }

    private static Schema schemaFrom(InputStream in) throws IOException {
        JsonNode body = jsonBody(in);
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw new RegistryError(422, 42201, "Invalid schema: schemaType " + type + " is not supported by this registry (AVRO only)");
        }
        if (body.hasNonNull("references") && body.get("references").size() > 0) {
            throw new RegistryError(422, 42201, "Invalid schema: schema references are not supported by this registry");
        }
        JsonNode schema = body.get("schema");
        return SchemaStore.parse(schema == null || schema.isNull() ? null : schema.asText());
    }

    private static CompatibilityLevel levelFrom(InputStream in) throws IOException {
        String name = jsonBody(in).path("compatibility").asText(null);
        try {
            return CompatibilityLevel.parse(name);
        } catch (IllegalArgumentException e) {
            throw new RegistryError(422, 42203, "Invalid compatibility level. " + e.getMessage());
        }
    }

    /** A body that is already JSON text (the raw schema endpoints). */
    private record RawJson(String json) {
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = (body instanceof RawJson raw ? raw.json() : JSON.writeValueAsString(body)).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", MEDIA_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
