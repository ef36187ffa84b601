package io.kanbu.backup.gateway.retention;

import io.kanbu.backup.core.retention.RetentionPlanner;
import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.gateway.config.GatewayProperties;
import io.kanbu.backup.gateway.jobs.JobView;
import io.kanbu.backup.gateway.trigger.JobSubmitter;
import io.kanbu.backup.gateway.trigger.TriggerRequestParser;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.BackupStatus;
import io.kanbu.backup.model.catalog.RetentionPolicyRecord;
import io.kanbu.backup.model.catalog.RetentionPolicyRepository;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Retention policies per target and kind, their preview, and {@code PRUNE} jobs that apply them.
 */
@RestController
@RequestMapping("/api/v1/retention")
@Tag(name = "retention", description = "Policies, previews and prune jobs")
public class RetentionController {

  private final RetentionPolicyRepository policies;
  private final BackupRecordRepository backups;
  private final BackupJobRepository jobs;
  private final JobSubmitter submitter;
  private final GatewayProperties gateway;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final String defaultZone;

  public RetentionController(
      RetentionPolicyRepository policies,
      BackupRecordRepository backups,
      BackupJobRepository jobs,
      JobSubmitter submitter,
      GatewayProperties gateway,
      TransactionTemplate transactions,
      Clock clock,
      @Value("${BACKUP_CRON_TIMEZONE:UTC}") String defaultZone) {
    this.policies = policies;
    this.backups = backups;
    this.jobs = jobs;
    this.submitter = submitter;
    this.gateway = gateway;
    this.transactions = transactions;
    this.clock = clock;
    this.defaultZone = defaultZone;
  }

  @GetMapping(path = "/policies", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Every retention policy")
  public List<PolicyView> list() {
    return policies.findAll().stream()
        .map(PolicyView::of)
        .sorted(Comparator.comparing(PolicyView::target).thenComparing(PolicyView::kind))
        .toList();
  }

  @GetMapping(path = "/policies/{target}/{kind}", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "The retention policy of one target and kind (database or source)")
  @ApiResponse(responseCode = "404", description = "No policy: nothing is deleted")
  public PolicyView get(@PathVariable String target, @PathVariable String kind) {
    return PolicyView.of(find(key(target, kind)));
  }

  @PutMapping(
      path = "/policies/{target}/{kind}",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Set the retention policy of one target and kind",
      description =
          "restic's forget rules: keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly,"
              + " keepYearly (0 = off, -1 = unlimited), keepWithin (ISO-8601 duration), in"
              + " timeZone. The original Kanbu's retentionDays is accepted as keepWithin days."
              + " Pinned backups, the newest, the newest verified-restorable and backups in use"
              + " are always kept. Nothing is deleted until a PRUNE job runs.")
  @ApiResponse(responseCode = "400", description = "A rule is invalid (the field is named)")
  public PolicyView put(
      @PathVariable String target,
      @PathVariable String kind,
      @RequestBody PolicyBody body,
      @RequestHeader(name = "X-Requested-By", required = false) @Nullable String requestedBy) {
    RetentionPolicyRecord.Key key = key(target, kind);
    RetentionPolicyRecord.Rules rules = RetentionPolicies.rulesOf(body, defaultZone);
    String by = TriggerRequestParser.requestedBy(requestedBy);
    RetentionPolicyRecord saved =
        transactions.execute(
            tx -> {
              RetentionPolicyRecord record = policies.findById(key).orElse(null);
              if (record == null) {
                return policies.save(new RetentionPolicyRecord(key, rules, by, clock.instant()));
              }
              record.update(rules, by, clock.instant());
              return policies.save(record);
            });
    return PolicyView.of(java.util.Objects.requireNonNull(saved));
  }

  @DeleteMapping(path = "/policies/{target}/{kind}")
  @Operation(summary = "Remove a retention policy: prunes then delete nothing of it")
  @ApiResponse(responseCode = "204", description = "Removed (or there was none)")
  public ResponseEntity<Void> delete(@PathVariable String target, @PathVariable String kind) {
    RetentionPolicyRecord.Key key = key(target, kind);
    policies.findById(key).ifPresent(policies::delete);
    return ResponseEntity.noContent().build();
  }

  @GetMapping(path = "/preview", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "What the policy of a target and kind would keep and delete now, and why",
      description =
          "Every available backup, newest first, with keep or delete and the reason, e.g."
              + " 'kept: daily 2026-11-25', 'kept: pinned', 'delete: beyond keepDaily=7'.")
  @ApiResponse(responseCode = "404", description = "No policy for this target and kind")
  public PreviewView preview(
      @RequestParam(defaultValue = "default") String target,
      @RequestParam(defaultValue = "database") String kind) {
    RetentionPolicyRecord.Key key = key(target, kind);
    return preview(key, find(key).rules());
  }

  /**
   * What a policy that is not saved yet would keep and delete now: the same plan as {@link
   * #preview(String, String)}, for the dashboard's form while the operator types.
   */
  public PreviewView previewDraft(String target, String kind, PolicyBody draft) {
    return preview(key(target, kind), RetentionPolicies.rulesOf(draft, defaultZone));
  }

  private PreviewView preview(RetentionPolicyRecord.Key key, RetentionPolicyRecord.Rules rules) {
    Map<UUID, BackupRecord> byId =
        backups
            .findByTargetAndKindAndStatus(key.target(), key.kind(), BackupStatus.AVAILABLE)
            .stream()
            .collect(Collectors.toMap(BackupRecord::getId, Function.identity()));
    List<RetentionPlanner.Decision> plan =
        RetentionPolicies.plan(List.copyOf(byId.values()), rules, jobs.activeJobsByBackup());
    List<PreviewView.Entry> entries =
        plan.stream()
            .map(
                d -> {
                  BackupRecord b = byId.get(d.id());
                  return new PreviewView.Entry(
                      d.id(),
                      b.getFileName(),
                      d.createdAt(),
                      b.getStoredSize(),
                      d.keep() ? "keep" : "delete",
                      d.summary());
                })
            .toList();
    int kept = (int) plan.stream().filter(RetentionPlanner.Decision::keep).count();
    return new PreviewView(
        key.target(),
        key.kind(),
        RetentionPolicies.toPolicy(rules).describe(),
        rules.timeZone(),
        kept,
        plan.size() - kept,
        entries);
  }

  @PostMapping(path = "/prune", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Apply the policies of a target now: queues a PRUNE job",
      description =
          "A worker deletes what the preview says (object, then manifest, then marks the catalog"
              + " row DELETED, kept as history). One prune runs at a time.")
  @ApiResponse(responseCode = "202", description = "The queued job")
  public ResponseEntity<JobView> prune(
      @RequestParam(defaultValue = "default") String target,
      @RequestHeader(name = "X-Requested-By", required = false) @Nullable String requestedBy) {
    requireTarget(target);
    BackupJob job = submitter.submitPrune(target, TriggerRequestParser.requestedBy(requestedBy));
    return ResponseEntity.accepted()
        .location(URI.create(JobView.selfLink(job.getId())))
        .body(JobView.of(job));
  }

  private RetentionPolicyRecord find(RetentionPolicyRecord.Key key) {
    return policies
        .findById(key)
        .orElseThrow(
            () ->
                ApiProblemException.notFound(
                    "no retention policy",
                    "target '"
                        + key.target()
                        + "' has no retention policy for "
                        + key.kind().name().toLowerCase(java.util.Locale.ROOT)
                        + " backups (nothing is deleted); set one with PUT"
                        + " /api/v1/retention/policies/"
                        + key.target()
                        + "/"
                        + key.kind().name().toLowerCase(java.util.Locale.ROOT)));
  }

  private RetentionPolicyRecord.Key key(String target, String kind) {
    requireTarget(target);
    BackupKind parsed = RetentionPolicies.kindOf(kind);
    return new RetentionPolicyRecord.Key(target, parsed);
  }

  private void requireTarget(String target) {
    if (!gateway.targetNames().contains(target)) {
      throw ApiProblemException.badRequest(
          "target",
          "target '"
              + target
              + "' is not configured; configured targets: "
              + String.join(", ", gateway.targetNames()));
    }
  }
}
