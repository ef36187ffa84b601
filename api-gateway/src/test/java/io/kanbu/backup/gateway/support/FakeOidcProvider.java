package io.kanbu.backup.gateway.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small OpenID Connect provider for tests, on a free local port: a discovery document, a JWKS, an
 * authorization endpoint that signs in whoever {@link #nextSignIn} names and redirects straight
 * back with a code, and a token endpoint that trades the code (for the right client secret) for an
 * RS256-signed ID token. A sign-in can be tampered with to see that the gateway refuses it.
 */
public final class FakeOidcProvider implements AutoCloseable {

  /** The client id the gateway is registered with. */
  public static final String CLIENT_ID = "kanbu-gateway";

  /** Its client secret. */
  public static final String CLIENT_SECRET = GatewayTestEnvironment.randomHex(16);

  /** How an ID token is spoiled, to see that the gateway refuses it. */
  public enum Tamper {
    NONE,
    /** Signed with a key that is not in the JWKS (same key id): a forged token. */
    FOREIGN_KEY,
    /** Issued in the name of another issuer. */
    WRONG_ISSUER,
    /** With a nonce other than the one the gateway sent: a replayed token. */
    WRONG_NONCE
  }

  /**
   * Who the next authorization signs in.
   *
   * @param subject the {@code sub} claim
   * @param claims further claims of the ID token ({@code preferred_username}, {@code groups}, …)
   * @param tamper how the ID token is spoiled, if at all
   */
  public record SignIn(String subject, Map<String, Object> claims, Tamper tamper) {

    /** An honest sign-in of a new subject named {@code username}, in {@code groups}. */
    public static SignIn of(String username, List<String> groups) {
      return new SignIn(
          UUID.randomUUID().toString(),
          Map.of("preferred_username", username, "groups", groups),
          Tamper.NONE);
    }

    /** The same subject with other groups. */
    public SignIn inGroups(List<String> groups) {
      Map<String, Object> changed = new HashMap<>(claims);
      changed.put("groups", groups);
      return new SignIn(subject, changed, tamper);
    }

    public SignIn tampered(Tamper how) {
      return new SignIn(subject, claims, how);
    }
  }

  private record Pending(String nonce, SignIn signIn) {}

  private final HttpServer server;
  private final String issuer;
  private final RSAKey key;
  private final RSAKey foreignKey;
  private final Map<String, Pending> codes = new ConcurrentHashMap<>();
  private volatile SignIn next = SignIn.of("nobody", List.of());

  private FakeOidcProvider() throws IOException, JOSEException {
    key = new RSAKeyGenerator(2048).keyID("test-key").generate();
    foreignKey = new RSAKeyGenerator(2048).keyID("test-key").generate();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    issuer = "http://127.0.0.1:" + server.getAddress().getPort();
    server.createContext("/.well-known/openid-configuration", this::discovery);
    server.createContext("/jwks", this::jwks);
    server.createContext("/authorize", this::authorize);
    server.createContext("/token", this::token);
    server.start();
  }

  /** Starts a provider on a free port. */
  public static FakeOidcProvider start() {
    try {
      return new FakeOidcProvider();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The issuer, also the base of every endpoint. */
  public String issuer() {
    return issuer;
  }

  /** Who the next authorization signs in. */
  public void nextSignIn(SignIn signIn) {
    next = Objects.requireNonNull(signIn);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void discovery(HttpExchange exchange) throws IOException {
    Map<String, Object> document = new HashMap<>();
    document.put("issuer", issuer);
    document.put("authorization_endpoint", issuer + "/authorize");
    document.put("token_endpoint", issuer + "/token");
    document.put("jwks_uri", issuer + "/jwks");
    document.put("response_types_supported", List.of("code"));
    document.put("subject_types_supported", List.of("public"));
    document.put("id_token_signing_alg_values_supported", List.of("RS256"));
    document.put("scopes_supported", List.of("openid", "profile", "email"));
    document.put("grant_types_supported", List.of("authorization_code"));
    document.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic"));
    json(exchange, 200, document);
  }

  private void jwks(HttpExchange exchange) throws IOException {
    json(exchange, 200, Map.of("keys", List.of(key.toPublicJWK().toJSONObject())));
  }

  private void authorize(HttpExchange exchange) throws IOException {
    Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
    if (!CLIENT_ID.equals(query.get("client_id")) || !"code".equals(query.get("response_type"))) {
      json(exchange, 400, Map.of("error", "invalid_request"));
      return;
    }
    String code = UUID.randomUUID().toString();
    codes.put(code, new Pending(query.getOrDefault("nonce", ""), next));
    String location =
        query.get("redirect_uri")
            + "?code="
            + code
            + "&state="
            + URLEncoder.encode(query.getOrDefault("state", ""), StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Location", location);
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  private void token(HttpExchange exchange) throws IOException {
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
    if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      json(exchange, 401, Map.of("error", "invalid_client"));
      return;
    }
    Map<String, String> body =
        form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    Pending pending = codes.remove(body.getOrDefault("code", ""));
    if (pending == null || !"authorization_code".equals(body.get("grant_type"))) {
      json(exchange, 400, Map.of("error", "invalid_grant"));
      return;
    }
    Map<String, Object> answer = new HashMap<>();
    answer.put("access_token", UUID.randomUUID().toString());
    answer.put("token_type", "Bearer");
    answer.put("expires_in", 300);
    answer.put("scope", "openid profile email");
    answer.put("id_token", idToken(pending));
    json(exchange, 200, answer);
  }

  private String idToken(Pending pending) {
    SignIn signIn = pending.signIn();
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(signIn.tamper() == Tamper.WRONG_ISSUER ? "https://impostor.example" : issuer)
            .subject(signIn.subject())
            .audience(CLIENT_ID)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(300)))
            .claim(
                "nonce",
                signIn.tamper() == Tamper.WRONG_NONCE
                    ? "a-nonce-of-another-flow"
                    : pending.nonce());
    signIn.claims().forEach(claims::claim);
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
            claims.build());
    try {
      jwt.sign(new RSASSASigner(signIn.tamper() == Tamper.FOREIGN_KEY ? foreignKey : key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  private static Map<String, String> form(String encoded) {
    Map<String, String> values = new HashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return values;
    }
    for (String pair : encoded.split("&")) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      values.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return values;
  }

  private static void json(HttpExchange exchange, int status, Map<String, ?> body)
      throws IOException {
    byte[] bytes = JSONObjectUtils.toJSONString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
