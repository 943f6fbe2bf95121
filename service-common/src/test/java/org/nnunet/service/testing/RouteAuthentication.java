package org.nnunet.service.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 9's route check, run inside a {@code @QuarkusTest}: lists every HTTP route of the service and proves that each
 * one either needs the bearer token or is declared public by the test.
 *
 * <p>The routes come from three places, so a route missing from the OpenAPI document is not missed: the JAX-RS
 * operations of {@code /q/openapi} (fetched with the token), the Vert.x {@link Router}'s own routes (health, metrics,
 * OpenAPI, Swagger UI, anything an extension adds; a route without a path stands for "any path" and is probed with an
 * unknown one), and the static files under {@code META-INF/resources}. Path templates are filled with sample values.
 *
 * <p>A protected route must answer 401 with {@code WWW-Authenticate: Bearer} and a JSON {@code {status, message}} to:
 * no Authorization header, a wrong token, the token in another scheme ({@code Basic}), and near misses of the token
 * (other case, one character more or less, empty). Path tricks through a public prefix ({@code /q/health/../../v1},
 * {@code %2e%2e}, {@code %2f}, {@code ;}, {@code //v1}) must not reach it. A route that answers without a token fails
 * the check unless it matches the declared public paths (exact, or {@code /prefix/*}); the probes and metrics
 * ({@link #PROBES}) must answer without one.
 */
public final class RouteAuthentication {

    /** Open in every service: Kubernetes probes and Prometheus. */
    public static final List<String> PROBES = List.of("/q/health", "/q/health/*", "/q/metrics");
    /** The public paths every service must serve without a token. */
    static final List<String> REQUIRED_PUBLIC = List.of("/q/health", "/q/health/live", "/q/health/ready",
            "/q/metrics");
    /** What a route without a method restriction is probed with. */
    static final List<String> ALL_METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    static final Set<String> OPENAPI_METHODS = Set.of("get", "head", "post", "put", "delete", "patch", "options",
            "trace");
    /** A path no service serves: probes the routes that match any path (REST layer, static files, error pages). */
    static final String UNKNOWN_PATH = "/no-such-route";
    private static final Pattern TEMPLATE = Pattern.compile("\\{([^}/]+)}|:([A-Za-z0-9_]+)");

    /** One probed route and method; {@code route} is the template as declared, {@code path} what was requested. */
    public record Row(String route, String method, String path, String source, boolean open, int withoutToken,
                      int wrongToken) {}

    /** A path trick sent without a token: the protected path it aims at, the request target, the answer's status. */
    public record Trick(String target, String request, int status) {}

    /**
     * The checked routes in the order found, the path tricks tried on each protected GET route, how many requests
     * were sent and how long it took.
     */
    public record Report(List<Row> rows, List<Trick> tricks, int requests, long millis) {

        /**
         * For a service without REST resources of its own (event consumers): its OpenAPI document needs the token
         * and nothing but health and metrics is open.
         */
        public void assertOnlyProbesOpen() {
            if (rows.stream().noneMatch(r -> !r.open() && r.path().equals("/q/openapi"))) {
                throw new AssertionError("/q/openapi is not among the guarded routes\n" + markdown());
            }
            List<Row> open = rows.stream().filter(r -> r.open() && !r.path().startsWith("/q/health")
                    && !r.path().equals("/q/metrics")).toList();
            if (!open.isEmpty()) {
                throw new AssertionError("open beyond health and metrics: " + open + "\n" + markdown());
            }
        }

        /** The table for docs/reliability.md: one line per route, its methods together when they answer alike. */
        public String markdown() {
            Map<String, List<String>> methods = new LinkedHashMap<>();
            for (Row r : rows) {
                String key = "| `" + r.route() + "` | %s | " + r.source() + " | " + (r.open() ? "public" : "token")
                        + " | " + r.withoutToken() + " | " + r.wrongToken() + " |";
                methods.computeIfAbsent(key, k -> new ArrayList<>()).add(r.method());
            }
            StringBuilder s = new StringBuilder("| route | methods | found in | access | no token | wrong token |\n"
                    + "|---|---|---|---|---|---|\n");
            methods.forEach((line, m) -> s.append(String.format(line, m.size() == ALL_METHODS.size() ? "all"
                    : String.join(", ", m))).append("\n"));
            return s.append("\n").append(rows.stream().filter(r -> !r.open()).count()).append(" route/method pairs need"
                    + " the token, ").append(rows.stream().filter(Row::open).count()).append(" are public; ")
                    .append(tricks.size()).append(" path tricks refused (")
                    .append(tricks.stream().map(Trick::status).distinct().sorted().map(String::valueOf).toList())
                    .append("), ").append(requests).append(" requests in ").append(millis).append(" ms\n").toString();
        }
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String token;
    private final List<String> publicPaths = new ArrayList<>(PROBES);
    private final Map<String, String> samples = new LinkedHashMap<>();

    private RouteAuthentication(String token) {
        this.token = token;
    }

    /** A check with the service's test token ({@code nnunet.api.token} of its test profile). */
    public static RouteAuthentication withToken(String token) {
        return new RouteAuthentication(token);
    }

    /** More paths the service serves without a token on purpose (e.g. the viewer's files); same syntax as config. */
    public RouteAuthentication publicPaths(String... paths) {
        publicPaths.addAll(List.of(paths));
        return this;
    }

    /** The value put into the path parameter {@code name} ({@code {name}} or {@code :name}); default "sample". */
    public RouteAuthentication sample(String name, String value) {
        samples.put(name, value);
        return this;
    }

    /**
     * Lists every route, probes it with every bad credential and every path trick, and returns the table.
     *
     * @param router the application's router: the test injects it ({@code @Inject Router}), which also keeps the
     *               synthetic bean from being removed as unused
     */
    public Report check(Router router) {
        Map<String, Probe> probes = new LinkedHashMap<>();
        openApiOperations(probes);
        walk(router, "", probes);
        staticFiles(probes);

        long start = System.nanoTime();
        int requests = 0;
        List<Row> rows = new ArrayList<>();
        List<Trick> trickRows = new ArrayList<>();
        Set<String> protectedPaths = new LinkedHashSet<>();
        for (Probe p : probes.values()) {
            int without = send(p, null).status();
            requests += 1;
            boolean open = without != 401;
            if (open) {
                assertTrue(isDeclaredPublic(p.path),
                        p.method + " " + p.path + " (" + p.source + ") answers " + without + " without a token but is"
                                + " not a declared public path " + publicPaths);
                if (p.method.equals("GET")) {
                    assertTrue(without == 200 || (without == 503 && p.path.startsWith("/q/health")),
                            "public GET " + p.path + " answers " + without);
                }
                rows.add(new Row(p.route, p.method, p.path, p.source, true, without,
                        send(p, "Bearer wrong-token").status()));
                requests += 1;
            } else {
                int wrong = 0;
                // every bad credential on the first protected route, the main kinds on every route and method
                Map<String, String> credentials = rows.stream().allMatch(Row::open) ? badCredentials()
                        : mainBadCredentials();
                for (Map.Entry<String, String> bad : credentials.entrySet()) {
                    Answer r = send(p, bad.getValue());
                    requests += 1;
                    assertUnauthorized(r, p.method.equals("HEAD"), p.method + " " + p.path + " with " + bad.getKey());
                    if (bad.getKey().equals("a wrong token")) {
                        wrong = r.status();
                    }
                }
                rows.add(new Row(p.route, p.method, p.path, p.source, false, without, wrong));
                if (p.method.equals("GET") && !p.path.endsWith(UNKNOWN_PATH)) {
                    protectedPaths.add(p.path);
                }
            }
        }
        for (String path : REQUIRED_PUBLIC) {
            assertTrue(rows.stream().anyMatch(r -> r.open() && r.path().equals(path) && r.method().equals("GET")),
                    "GET " + path + " is not among the public routes found: " + rows);
        }
        for (String declared : publicPaths) {
            if (!declared.endsWith("/*")) {
                assertTrue(rows.stream().anyMatch(r -> r.open() && r.path().equals(declared)
                        && r.method().equals("GET")), "declared public GET " + declared + " is not served without a"
                        + " token (or no route serves it): " + rows);
            }
        }
        boolean anyServed = false;
        for (String path : protectedPaths) {
            // a trick proves something only against a route that serves content with the token (GET: safe to call)
            anyServed |= rawGet(path, "Bearer " + token).status() == 200;
            for (String trick : tricks(path)) {
                Raw answer = rawGet(trick, null);
                requests += 1;
                assertTrue(answer.status() == 401 || answer.status() == 400 || answer.status() == 404,
                        "GET " + trick + " without a token must not open the protected " + path + ": "
                                + answer.status() + " " + answer.body());
                trickRows.add(new Trick(path, trick, answer.status()));
            }
        }
        assertTrue(anyServed, "no protected GET route answers 200 with the token: the tricks prove nothing");
        return new Report(List.copyOf(rows), List.copyOf(trickRows), requests,
                (System.nanoTime() - start) / 1_000_000);
    }

    /** One request to make: a concrete path and method, and where the route was found. */
    private static final class Probe {
        final String route;
        final String method;
        final String path;
        String source;

        Probe(String route, String method, String path, String source) {
            this.route = route;
            this.method = method;
            this.path = path;
            this.source = source;
        }
    }

    private void add(Map<String, Probe> probes, String route, String method, String source) {
        String path = fill(route);
        Probe known = probes.get(method + " " + path);
        if (known == null) {
            probes.put(method + " " + path, new Probe(route, method, path, source));
        } else if (!known.source.contains(source)) {
            known.source += ", " + source;
        }
    }

    private void openApiOperations(Map<String, Probe> probes) {
        Map<String, Map<String, Object>> paths = given().header("Authorization", "Bearer " + token)
                .get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath().getMap("paths");
        if (paths == null) {
            return;
        }
        for (Map.Entry<String, Map<String, Object>> p : paths.entrySet()) {
            for (String method : p.getValue().keySet()) {
                if (OPENAPI_METHODS.contains(method)) {
                    add(probes, p.getKey(), method.toUpperCase(Locale.ROOT), "openapi");
                }
            }
        }
    }

    private void walk(Router router, String mount, Map<String, Probe> probes) {
        for (Route route : router.getRoutes()) {
            String path = route.getPath();
            if (route.getSubRouter() != null) {
                walk(route.getSubRouter(), mount + (path == null ? "" : stripSlash(path)), probes);
                continue;
            }
            String template;
            if (path == null) {
                // a handler for any path (filters, REST layer, static files, error pages) or a pure regex: probe a
                // path nothing else serves (a route with :params is a regex to Vert.x too, but keeps its path)
                template = mount + UNKNOWN_PATH;
            } else {
                // a prefix route (/q/swagger-ui*) serves the prefix itself; a folder route (/q/health/group/*) a name
                template = mount + (route.isExactPath() || !path.endsWith("/") ? path : path + "*");
            }
            Set<HttpMethod> methods = route.methods();
            List<String> names = methods == null || methods.isEmpty() ? ALL_METHODS
                    : methods.stream().map(HttpMethod::name).sorted().toList();
            for (String m : names) {
                add(probes, template, m, "router");
            }
        }
    }

    /** Files served from {@code META-INF/resources} of the application and its jars; index.html also as its folder. */
    private void staticFiles(Map<String, Probe> probes) {
        Set<String> files = new TreeSet<>();
        try {
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            Enumeration<URL> roots = cl.getResources("META-INF/resources");
            for (URL root : Collections.list(roots)) {
                if (root.getProtocol().equals("file")) {
                    Path dir = Path.of(root.toURI());
                    try (Stream<Path> s = Files.walk(dir)) {
                        s.filter(Files::isRegularFile).forEach(f -> files.add("/" + dir.relativize(f).toString()
                                .replace('\\', '/')));
                    }
                } else if (root.getProtocol().equals("jar")) {
                    JarURLConnection c = (JarURLConnection) root.openConnection();
                    c.setUseCaches(false);
                    try (JarFile jar = c.getJarFile()) {
                        for (JarEntry e : Collections.list(jar.entries())) {
                            if (e.getName().startsWith("META-INF/resources/") && !e.isDirectory()) {
                                files.add(e.getName().substring("META-INF/resources".length()));
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (String f : files) {
            add(probes, f, "GET", "static");
            if (f.endsWith("/index.html")) {
                add(probes, f.substring(0, f.length() - "index.html".length()), "GET", "static");
            }
        }
    }

    String fill(String template) {
        Matcher m = TEMPLATE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(samples.getOrDefault(name, "sample")));
        }
        m.appendTail(out);
        String path = out.toString();
        return path.endsWith("*") ? path.substring(0, path.length() - 1) + "sample" : path;
    }

    boolean isDeclaredPublic(String path) {
        for (String p : publicPaths) {
            if (p.endsWith("/*") ? path.startsWith(p.substring(0, p.length() - 1)) : path.equals(p)) {
                return true;
            }
        }
        return false;
    }

    /** The kinds of bad credential every route and method is probed with: Authorization header values by name. */
    private Map<String, String> mainBadCredentials() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("no Authorization header", null);
        bad.put("a wrong token", "Bearer wrong-token");
        bad.put("the token as Basic credentials", "Basic "
                + Base64.getEncoder().encodeToString(("nnunet:" + token).getBytes(StandardCharsets.UTF_8)));
        bad.put("the token in upper case", "Bearer " + token.toUpperCase(Locale.ROOT));
        bad.put("the token padded by one character", "Bearer " + token + "x");
        return bad;
    }

    /** Every bad credential: the main kinds and their near relatives. */
    private Map<String, String> badCredentials() {
        Map<String, String> bad = mainBadCredentials();
        bad.put("the bare token under Basic", "Basic " + token);
        bad.put("the bare token without a scheme", token);
        bad.put("a lower-case scheme with a wrong token", "bearer wrong-token");
        bad.put("the token padded in front", "Bearer x" + token);
        bad.put("the token less its last character", "Bearer " + token.substring(0, token.length() - 1));
        bad.put("the token twice", "Bearer " + token + " " + token);
        bad.put("an empty bearer token", "Bearer ");
        bad.put("a scheme only", "Bearer");
        return bad;
    }

    /** A status, the headers asked for and the body. */
    record Answer(int status, String contentType, String challenge, String body) {}

    /** One request (HttpClient rather than RestAssured: a few ms each, the check sends hundreds). */
    private static Answer send(Probe p, String authorization) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port
                    + p.path)).timeout(Duration.ofSeconds(30)).method(p.method, HttpRequest.BodyPublishers.noBody());
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
                    r.headers().firstValue("WWW-Authenticate").orElse(null), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(p.method + " " + p.path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void assertUnauthorized(Answer r, boolean head, String what) {
        assertEquals(401, r.status(), what + ": " + r.body());
        assertTrue(r.challenge() != null && r.challenge().startsWith("Bearer"),
                what + ": WWW-Authenticate " + r.challenge());
        assertTrue(r.contentType().startsWith("application/json"), what + ": " + r.contentType());
        if (!head) {
            try {
                JsonNode json = JSON.readTree(r.body());
                assertEquals(401, json.path("status").asInt(), what + ": " + r.body());
                assertTrue(json.path("message").asText().contains("token"), what + ": " + r.body());
            } catch (IOException e) {
                fail(what + ": not JSON: " + r.body());
            }
        }
    }

    /** Ways to spell {@code path} through each declared public prefix. */
    List<String> tricks(String path) {
        assertFalse(path.isEmpty() || path.charAt(0) != '/', path);
        Set<String> out = new LinkedHashSet<>();
        out.add("/" + path);
        out.add(path.replace("/", "//"));
        out.add("/./" + path.substring(1));
        for (String p : publicPaths) {
            String prefix = stripSlash(p.endsWith("/*") ? p.substring(0, p.length() - 2) : p);
            if (prefix.isEmpty()) {
                continue;
            }
            int depth = (int) prefix.chars().filter(c -> c == '/').count();
            out.add(prefix + "/..".repeat(depth) + path);
            out.add(prefix + "/%2e%2e".repeat(depth) + path);
            out.add(prefix + "/%2E%2E".repeat(depth) + path);
            out.add(prefix + "/..;".repeat(depth) + path);
            out.add(prefix + "%2f..".repeat(depth) + "%2f" + path.substring(1).replace("/", "%2f"));
            out.add(prefix + "/" + "..%2f".repeat(depth) + path.substring(1));
            out.add(prefix + ";" + "/..".repeat(depth) + path);
        }
        return List.copyOf(out);
    }

    private static String stripSlash(String p) {
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** A raw answer: the status and everything after the headers. */
    record Raw(int status, String body) {}

    /** A GET whose request line is sent byte for byte (HTTP clients normalize {@code ..}). */
    static Raw rawGet(String target, String authorization) {
        try {
            URI base = new URI(RestAssured.baseURI);
            try (Socket s = new Socket(base.getHost(), RestAssured.port)) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                        + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                ByteArrayOutputStream answer = new ByteArrayOutputStream();
                in.transferTo(answer);
                String text = answer.toString(StandardCharsets.UTF_8);
                int headersEnd = text.indexOf("\r\n\r\n");
                assertTrue(text.startsWith("HTTP/1.1 ") && headersEnd > 0, "GET " + target + ": " + text);
                return new Raw(Integer.parseInt(text.substring(9, 12)), text.substring(headersEnd + 4));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + target, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
