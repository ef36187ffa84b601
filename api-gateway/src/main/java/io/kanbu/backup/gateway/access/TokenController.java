package io.kanbu.backup.gateway.access;

import io.kanbu.backup.gateway.api.ApiProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Personal API tokens (administrators only). */
@RestController
@RequestMapping(path = "/api/v1/tokens", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "tokens", description = "Personal API tokens, stored hashed and shown once (ADMIN)")
public class TokenController {

  private final ApiTokens tokens;

  public TokenController(ApiTokens tokens) {
    this.tokens = tokens;
  }

  /** A token to issue: for which user, its name, role and days of validity (none: no expiry). */
  public record NewToken(
      @Nullable UUID userId,
      @Nullable String name,
      @Nullable String role,
      @Nullable Integer validDays) {}

  @GetMapping
  @Operation(summary = "Every token, newest first; never the secret")
  public List<TokenView> tokens() {
    return tokens.list().stream().map(TokenView::of).toList();
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Issue a token",
      description =
          "The answer's 'token' is the secret: it is shown this once and only its SHA-256 is"
              + " kept. Send it as 'Authorization: Bearer <token>'.")
  @ApiResponse(responseCode = "201", description = "Issued; the answer holds the token")
  public ResponseEntity<TokenView> issue(@RequestBody(required = false) @Nullable NewToken body) {
    if (body == null || body.userId() == null || body.name() == null) {
      throw ApiProblemException.badRequest(
          "userId", "send a JSON body with userId, name, role and optionally validDays");
    }
    Role role = AccessProblems.role("role", body.role() == null ? "VIEWER" : body.role());
    Duration validFor = body.validDays() == null ? null : Duration.ofDays(body.validDays());
    ApiTokens.Issued issued =
        AccessProblems.answer(() -> tokens.issue(body.userId(), body.name(), role, validFor));
    return ResponseEntity.status(HttpStatus.CREATED).body(TokenView.issued(issued));
  }

  @DeleteMapping("/{id}")
  @Operation(summary = "Revoke a token; it stops working at once")
  public TokenView revoke(@PathVariable UUID id) {
    return TokenView.of(AccessProblems.answer(() -> tokens.revoke(id)));
  }
}
