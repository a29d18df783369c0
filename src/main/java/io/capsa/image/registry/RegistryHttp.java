package io.capsa.image.registry;

import io.capsa.spec.Json;
import io.capsa.spec.Node;
import io.capsa.spec.SpecException;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * HTTP with a registry: authentication on a 401 challenge (bearer tokens cached per registry and scope, or
 * basic), redirects followed by hand so that the Authorization header never goes to another host (blob
 * downloads are redirected to object storage), and transport failures as one-line errors.
 */
final class RegistryHttp implements AutoCloseable {
    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final int MAX_TOKEN_BODY = 1024 * 1024;
    private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(60);
    /** Tokens are renewed this long before they expire, so that none runs out on its way. */
    private static final long EXPIRY_MARGIN_MS = 10_000;

    private record Token(String value, long expiresAtMs) {}

    /**
     * One client for plain HTTP, one for HTTPS, each made on first use: the JDK's default TLS context reads and
     * parses its CA certificates (~0.1 s of CPU before the first request), which a registry on http:// never needs.
     */
    private HttpClient plain, tls;
    private final Function<String, Credentials> credentials;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Set<String> basicDomains = ConcurrentHashMap.newKeySet();

    RegistryHttp(Function<String, Credentials> credentials) {
        this.credentials = credentials;
    }

    private synchronized HttpClient client(URI uri) {
        if (!uri.getScheme().equalsIgnoreCase("https")) {
            if (plain == null) plain = client(HttpClient.newBuilder().sslContext(uninitializedTls()).sslParameters(new SSLParameters()));
            return plain;
        }
        if (tls == null) tls = client(HttpClient.newBuilder());
        return tls;
    }

    private static HttpClient client(HttpClient.Builder builder) {
        return builder.version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(15))
                .build();
    }

    /** A TLS context that is never initialised: the plain HTTP client never shakes hands, and could not. */
    private static SSLContext uninitializedTls() {
        try {
            return SSLContext.getInstance("TLS");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One request, authenticated as the registry asks; GET and HEAD follow redirects. Returns any answer but a
     * first 401 or a redirect: the caller checks the status ({@link #failure} for the error).
     */
    HttpResponse<InputStream> send(Endpoint endpoint, String method, URI uri, List<String> scopes,
                                   Supplier<BodyPublisher> body, String... headers) {
        boolean authenticated = false;
        int redirects = 0;
        URI target = uri;
        while (true) {
            boolean registryHost = sameOrigin(target, endpoint.base());
            HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(HEADERS_TIMEOUT)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body.get());
            for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
            String authorization = registryHost ? authorization(endpoint, scopes) : null;
            if (authorization != null) request.header("Authorization", authorization);
            HttpResponse<InputStream> response = exchange(endpoint, request.build());
            int status = response.statusCode();
            String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
            if (status == 401 && registryHost && !authenticated && !challenge.isBlank()) {
                discard(response);
                authenticate(endpoint, Challenge.parse(challenge), scopes);
                authenticated = true;
                continue;
            }
            String location = response.headers().firstValue("Location").orElse(null);
            if (status >= 300 && status < 400 && location != null && (method.equals("GET") || method.equals("HEAD"))) {
                discard(response);
                if (++redirects > MAX_REDIRECTS) throw new RegistryException(endpoint + ": more than " + MAX_REDIRECTS + " redirects for " + uri.getPath());
                target = target.resolve(location);
                continue;
            }
            return response;
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private String authorization(Endpoint endpoint, List<String> scopes) {
        Token token = tokens.get(tokenKey(endpoint, scopes));
        if (token != null && token.expiresAtMs > System.currentTimeMillis()) return "Bearer " + token.value;
        Credentials creds = basicDomains.contains(endpoint.domain()) ? credentials.apply(endpoint.domain()) : null;
        return creds == null ? null : "Basic " + creds.basic();
    }

    /** Drops what was granted with a registry's old credentials, after a login or logout. */
    void forget(String domain) {
        basicDomains.remove(domain);
        tokens.keySet().removeIf(key -> key.startsWith(domain + " "));
    }

    private static String tokenKey(Endpoint endpoint, List<String> scopes) {
        return endpoint.domain() + " " + String.join(" ", scopes);
    }

    private void authenticate(Endpoint endpoint, Challenge challenge, List<String> scopes) {
        Credentials creds = credentials.apply(endpoint.domain());
        switch (challenge.scheme()) {
            case "bearer" -> {
                List<String> wanted = scopes;
                String offered = challenge.params().get("scope");
                if (wanted.isEmpty() && offered != null && !offered.isEmpty()) wanted = List.of(offered.split(" "));
                tokens.put(tokenKey(endpoint, scopes), fetchToken(endpoint, challenge, wanted, creds));
            }
            case "basic" -> {
                if (creds == null) throw new RegistryException(endpoint + ": authentication required, and no credentials are stored for it (log in first)");
                basicDomains.add(endpoint.domain());
            }
            default -> throw new RegistryException(endpoint + ": unsupported authentication scheme \"" + challenge.scheme() + "\"");
        }
    }

    /** The token flow of the distribution spec: GET realm?service=&scope=, with basic credentials when there are some. */
    private Token fetchToken(Endpoint endpoint, Challenge challenge, List<String> scopes, Credentials creds) {
        String realm = challenge.params().get("realm");
        if (realm == null || realm.isEmpty()) throw new RegistryException(endpoint + ": a bearer challenge without a realm");
        StringBuilder query = new StringBuilder();
        String service = challenge.params().get("service");
        if (service != null) query.append("&service=").append(encode(service));
        for (String scope : scopes) query.append("&scope=").append(encode(scope));
        if (creds != null) query.append("&account=").append(encode(creds.username()));
        URI uri;
        try {
            uri = URI.create(realm + (query.isEmpty() ? "" : (realm.contains("?") ? "&" : "?") + query.substring(1)));
        } catch (IllegalArgumentException e) {
            throw new RegistryException(endpoint + ": bad token realm \"" + realm + "\"");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(HEADERS_TIMEOUT).GET();
        if (creds != null) request.header("Authorization", "Basic " + creds.basic());
        HttpResponse<InputStream> response = exchange(endpoint, request.build());
        String body = readLimited(response, MAX_TOKEN_BODY);
        int status = response.statusCode();
        if (status == 401 || status == 403) throw unauthorized(endpoint.toString(), creds, errorMessage(body));
        if (status != 200) throw new RegistryException(endpoint + ": token server " + uri.getHost() + " answered " + status + suffix(errorMessage(body)));
        try {
            Node json = Json.parse(body, "token");
            String token = json.get("token").string(null);
            if (token == null || token.isEmpty()) token = json.get("access_token").string(null);
            if (token == null || token.isEmpty()) throw new RegistryException(endpoint + ": the token server's answer has no token");
            long expiresIn = json.get("expires_in").integer(60, 1, Integer.MAX_VALUE);
            return new Token(token, System.currentTimeMillis() + expiresIn * 1000 - EXPIRY_MARGIN_MS);
        } catch (SpecException e) {
            throw new RegistryException(endpoint + ": the token server's answer is not valid: " + e.getMessage());
        }
    }

    private static RegistryException unauthorized(String what, Credentials creds, String detail) {
        return new RegistryException(what + ": unauthorized" + suffix(detail) +
                (creds == null ? " (no credentials are stored for it)" : " (credentials of " + creds.username() + " refused)"));
    }

    private HttpResponse<InputStream> exchange(Endpoint endpoint, HttpRequest request) {
        try {
            return client(request.uri()).send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new RegistryException("cannot reach registry " + endpoint + " (" + origin(request.uri()) + "): connection timed out", e);
        } catch (ConnectException e) {
            throw new RegistryException("cannot reach registry " + endpoint + " (" + origin(request.uri()) + "): " + connectFailure(e), e);
        } catch (SSLException e) {
            throw new RegistryException("TLS with registry " + endpoint + " (" + origin(request.uri()) + ") failed: " + tlsFailure(e), e);
        } catch (IOException e) {
            throw new RegistryException("registry " + endpoint + " (" + origin(request.uri()) + "): " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while talking to registry " + endpoint, e);
        }
    }

    /** HttpClient's ConnectException has no message of its own; the cause says whether the name did not resolve. */
    private static String connectFailure(ConnectException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) return "unknown host";
        }
        String message = e.getMessage();
        return message == null || message.isEmpty() ? "connection refused" : message;
    }

    /** Java's text for an untrusted certificate is three class names deep. */
    private static String tlsFailure(SSLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException)
                return "its certificate is not signed by an authority this machine trusts";
        }
        return e.getMessage();
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    /** Java's own text for a broken connection is often empty or the class name. */
    static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isEmpty() ? e.getClass().getSimpleName() : message;
    }

    /** The error for an answer that is not the expected one, with the registry's own error text. */
    RegistryException failure(Endpoint endpoint, HttpResponse<InputStream> response, String what) {
        String detail = errorMessage(readLimited(response, MAX_ERROR_BODY));
        int status = response.statusCode();
        if (status == 401) return unauthorized(what, credentials.apply(endpoint.domain()), detail);
        if (status == 404 || status == 403) return new RegistryException(what + ": " + (detail.isEmpty() ? status == 404 ? "not found" : "denied" : detail));
        return new RegistryException(what + ": registry " + endpoint + " answered " + status + suffix(detail));
    }

    private static String suffix(String detail) {
        return detail.isEmpty() ? "" : ": " + detail;
    }

    /** The messages of a registry's error body: {@code {"errors": [{"code": ..., "message": ...}]}}. */
    private static String errorMessage(String body) {
        if (body.isBlank()) return "";
        List<String> messages = new ArrayList<>();
        try {
            Node json = Json.parse(body, "error");
            for (Node error : json.get("errors").list()) {
                String message = error.get("message").string("");
                messages.add(message.isEmpty() ? error.get("code").string("").toLowerCase().replace('_', ' ') : message);
            }
            if (messages.isEmpty() && !json.get("details").missing()) messages.add(json.get("details").string(""));
        } catch (SpecException e) {
            String line = body.strip();
            int newline = line.indexOf('\n');
            return newline < 0 ? line : line.substring(0, newline);
        }
        return String.join("; ", messages);
    }

    static String readLimited(HttpResponse<InputStream> response, int limit) {
        try (InputStream in = response.body()) {
            return new String(in.readNBytes(limit), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static void discard(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // the connection is dropped instead of reused
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        if (plain != null) plain.close();
        if (tls != null) tls.close();
    }
}
