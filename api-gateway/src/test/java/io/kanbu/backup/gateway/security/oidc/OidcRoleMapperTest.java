package io.kanbu.backup.gateway.security.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanbu.backup.gateway.access.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OidcRoleMapperTest {

  private static OidcProperties properties(String claim) {
    return new OidcProperties(
        claim,
        List.of("admins"),
        List.of("operators", " oncall "),
        List.of("viewers", ""),
        false,
        "preferred_username");
  }

  private final OidcRoleMapper mapper = new OidcRoleMapper(properties("groups"));

  @Test
  void theHighestListedRole_wins_whateverTheOrderOfTheValues() {
    assertThat(mapper.roleOf(Map.of("groups", List.of("viewers", "admins", "operators"))))
        .contains(Role.ADMIN);
    assertThat(mapper.roleOf(Map.of("groups", List.of("viewers", "oncall"))))
        .contains(Role.OPERATOR);
    assertThat(mapper.roleOf(Map.of("groups", List.of("staff", "viewers")))).contains(Role.VIEWER);
  }

  @Test
  void noListedValue_aMissingClaim_orAnotherClaim_giveNoRole() {
    assertThat(mapper.roleOf(Map.of("groups", List.of("staff", "marketing")))).isEmpty();
    assertThat(mapper.roleOf(Map.of("groups", List.of()))).isEmpty();
    assertThat(mapper.roleOf(Map.of("roles", List.of("admins")))).isEmpty();
    assertThat(mapper.roleOf(Map.of())).isEmpty();
  }

  @Test
  void valuesAreComparedExactly_caseAndAll() {
    assertThat(mapper.roleOf(Map.of("groups", List.of("Admins", "/admins", "admins ")))).isEmpty();
  }

  @Test
  void aClaimHoldingOneString_countsAsAListOfThatValue() {
    OidcRoleMapper byEmail =
        new OidcRoleMapper(
            new OidcProperties(
                "email",
                List.of("ada@example.com"),
                List.of(),
                List.of(),
                false,
                "preferred_username"));
    assertThat(byEmail.roleOf(Map.of("email", "ada@example.com"))).contains(Role.ADMIN);
    assertThat(byEmail.roleOf(Map.of("email", "eve@example.com"))).isEmpty();
  }

  @Test
  void aDottedName_reachesIntoNestedClaims_andAFlatClaimOfThatNameComesFirst() {
    OidcRoleMapper keycloak = new OidcRoleMapper(properties("realm_access.roles"));
    assertThat(keycloak.roleOf(Map.of("realm_access", Map.of("roles", List.of("operators")))))
        .contains(Role.OPERATOR);
    assertThat(keycloak.roleOf(Map.of("realm_access", List.of("operators")))).isEmpty();
    assertThat(
            keycloak.roleOf(
                Map.of(
                    "realm_access.roles",
                    List.of("viewers"),
                    "realm_access",
                    Map.of("roles", List.of("admins")))))
        .contains(Role.VIEWER);
  }

  @Test
  void valuesThatAreNotStrings_inAList_areSkipped() {
    assertThat(mapper.claimValues(Map.of("groups", List.of("viewers", Map.of("x", 1), 42))))
        .containsExactly("viewers", "42");
  }

  @Test
  void properties_stripValues_dropBlanks_andRefuseAnEmptyClaimName() {
    OidcProperties cleaned = properties("groups");
    assertThat(cleaned.operatorGroups()).containsExactly("operators", "oncall");
    assertThat(cleaned.viewerGroups()).containsExactly("viewers");
    assertThat(cleaned.grantsAnyRole()).isTrue();
    assertThat(
            new OidcProperties("groups", List.of(" "), List.of(), List.of(), false, "sub")
                .grantsAnyRole())
        .isFalse();
    assertThatThrownBy(() -> properties(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BACKUP_OIDC_ROLES_CLAIM");
  }
}
