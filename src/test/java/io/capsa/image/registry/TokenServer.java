package io.capsa.image.registry;

import com.fasterxml.jackson.jr.ob.JSON;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The token endpoint of a registry's {@code auth: token} setup, served by the test on 127.0.0.1: JWTs (RS256,
 * the certificate in {@code x5c}) signed with a key and self-signed certificate openssl made. Anyone may pull;
 * other actions need the one user's password; a wrong password gets a 401.
 */
final class TokenServer implements AutoCloseable {
    static final String SERVICE = "capsa-test-registry";
    static final String ISSUER = "capsa-test-issuer";
    final Path certificate;
    final AtomicInteger requests = new AtomicInteger();
    /** Answer in the OAuth2 form ({@code access_token}) instead of Docker's ({@code token}). */
    volatile boolean oauthField;
    private final HttpServer server;
    private final PrivateKey key;
    private final String x5c;
    private final String user;
    private final String password;

    TokenServer(Path dir, String user, String password) throws Exception {
        this.user = user;
        this.password = password;
        Path keyFile = dir.resolve("token-key.pem");
        certificate = dir.resolve("token-cert.pem");
        Tools.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile.toString(), "-out", certificate.toString(),
                "-days", "2", "-subj", "/CN=capsa-test-token");
        String pem = Files.readString(keyFile).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        x5c = Base64.getEncoder().encodeToString(CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certificate))).getEncoded());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::token);
        server.start();
    }

    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    private void token(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String account = "";
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            String[] userPassword = new String(Base64.getDecoder().decode(authorization.substring("Basic ".length())), StandardCharsets.UTF_8).split(":", 2);
            if (!userPassword[0].equals(user) || !userPassword[1].equals(password)) {
                answer(exchange, 401, Map.of("details", "incorrect username or password"));
                return;
            }
            account = user;
        }
        List<Object> access = new ArrayList<>();
        String query = exchange.getRequestURI().getRawQuery();
        for (String param : query == null ? new String[0] : query.split("&")) {
            if (!param.startsWith("scope=")) continue;
            String[] scope = URLDecoder.decode(param.substring(6), StandardCharsets.UTF_8).split(":");
            List<String> actions = new ArrayList<>();
            for (String action : scope[2].split(",")) if (action.equals("pull") || !account.isEmpty()) actions.add(action);
            access.add(Map.of("type", scope[0], "name", scope[1], "actions", actions));
        }
        try {
            String jwt = jwt(account, access);
            answer(exchange, 200, oauthField ? Map.of("access_token", jwt, "expires_in", 300) : Map.of("token", jwt, "expires_in", 300));
        } catch (Exception e) {
            answer(exchange, 500, Map.of("details", e.toString()));
        }
    }

    private String jwt(String account, List<Object> access) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        header.put("x5c", List.of(x5c));
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", account);
        claims.put("aud", SERVICE);
        claims.put("exp", now + 300);
        claims.put("nbf", now - 10);
        claims.put("iat", now);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("access", access);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signed = b64.encodeToString(JSON.std.asBytes(header)) + "." + b64.encodeToString(JSON.std.asBytes(claims));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(key);
        rs256.update(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + b64.encodeToString(rs256.sign());
    }

    private static void answer(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = JSON.std.asBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The registry's auth section for this token server. */
    String registryAuth() {
        return """
                auth:
                  token:
                    realm: %s
                    service: %s
                    issuer: %s
                    rootcertbundle: %s
                """.formatted(realm(), SERVICE, ISSUER, certificate);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
