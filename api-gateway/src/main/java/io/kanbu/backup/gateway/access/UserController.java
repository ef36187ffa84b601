package io.kanbu.backup.gateway.access;

import io.kanbu.backup.gateway.api.ApiProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Dashboard users (administrators only). */
@RestController
@RequestMapping(path = "/api/v1/users", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "users", description = "Dashboard users and their roles (ADMIN)")
public class UserController {

  private final UserAccounts accounts;

  public UserController(UserAccounts accounts) {
    this.accounts = accounts;
  }

  /** A new user. */
  public record NewUser(
      @Nullable String username, @Nullable String password, @Nullable String role) {
    @Override
    public String toString() {
      return "NewUser[username=" + username + ", password=<hidden>, role=" + role + "]";
    }
  }

  /** Changes to a user; absent fields stay as they are. */
  public record UserChange(
      @Nullable String role, @Nullable Boolean enabled, @Nullable String password) {
    @Override
    public String toString() {
      return "UserChange[role=" + role + ", enabled=" + enabled + ", password=<hidden>]";
    }
  }

  @GetMapping
  @Operation(summary = "Every user, by name")
  public List<UserView> users() {
    return accounts.list().stream().map(UserView::of).toList();
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Create a user: username, password (12 characters or more), role")
  @ApiResponse(responseCode = "201", description = "Created")
  @ApiResponse(responseCode = "409", description = "The name is taken")
  public ResponseEntity<UserView> create(
      @RequestBody(required = false) @Nullable NewUser body, Principal caller) {
    if (body == null || body.username() == null || body.password() == null) {
      throw ApiProblemException.badRequest(
          "username", "send a JSON body with username, password and role");
    }
    Role role = AccessProblems.role("role", body.role() == null ? "VIEWER" : body.role());
    DashboardUser user =
        AccessProblems.answer(
            () -> accounts.create(body.username(), body.password(), role, caller.getName()));
    return ResponseEntity.status(HttpStatus.CREATED).body(UserView.of(user));
  }

  @PatchMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Change a user's role, enable or disable them, or set a new password")
  @ApiResponse(responseCode = "409", description = "It would leave no enabled administrator")
  public UserView change(@PathVariable UUID id, @RequestBody UserChange body) {
    return AccessProblems.answer(
        () -> {
          DashboardUser user = accounts.find(id);
          if (body.role() != null) {
            user = accounts.changeRole(id, AccessProblems.role("role", body.role()));
          }
          if (body.enabled() != null) {
            user = accounts.changeEnabled(id, body.enabled());
          }
          if (body.password() != null) {
            user = accounts.changePassword(id, body.password());
          }
          return UserView.of(user);
        });
  }

  @DeleteMapping("/{id}")
  @Operation(summary = "Delete a user and their tokens")
  @ApiResponse(responseCode = "204", description = "Deleted")
  public ResponseEntity<Void> delete(@PathVariable UUID id) {
    AccessProblems.answer(() -> accounts.delete(id));
    return ResponseEntity.noContent().build();
  }
}
