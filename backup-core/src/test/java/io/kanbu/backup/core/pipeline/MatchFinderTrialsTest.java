package io.kanbu.backup.core.pipeline;

import static io.kanbu.backup.core.pipeline.MatchFinderTrials.Plan.FAST;
import static io.kanbu.backup.core.pipeline.MatchFinderTrials.Plan.REQUESTED;
import static io.kanbu.backup.core.pipeline.MatchFinderTrials.Plan.TRIAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatchFinderTrialsTest {

  private static final int PERIOD = MatchFinderTrials.MIN_PERIOD;

  @Test
  void everyPeriodthBlockIsATrial_andBlocksBeforeTheFirstUsableOutcomeTakeTheLevel() {
    MatchFinderTrials trials = new MatchFinderTrials(5);

    assertThat(trials.plan(0)).isEqualTo(TRIAL);
    trials.record(0, true);
    assertThat(plans(trials, 1, 4)).containsOnly(REQUESTED);
    assertThat(trials.plan(PERIOD)).isEqualTo(TRIAL);
    assertThat(trials.plan(3 * PERIOD)).isEqualTo(TRIAL);
  }

  @Test
  void aBlockFollowsTheLastTrialAtLeastLagBlocksBefore() {
    int lag = 5;
    MatchFinderTrials trials = new MatchFinderTrials(lag);
    trials.plan(0);
    trials.record(0, true); // level 1 won block 0's trial
    assertThat(plans(trials, lag, PERIOD - 1)).containsOnly(FAST);

    trials.plan(PERIOD);
    trials.record(PERIOD, false); // and lost block 16's
    // blocks 17-20 are planned while block 16 may still be compressing: they follow block 0
    assertThat(plans(trials, PERIOD + 1, PERIOD + lag - 1)).containsOnly(FAST);
    assertThat(plans(trials, PERIOD + lag, 2 * PERIOD - 1)).containsOnly(REQUESTED);
  }

  @Test
  void aTrialWhoseOutcomeIsMissing_leavesTheRequestedLevel() {
    MatchFinderTrials trials = new MatchFinderTrials(3);
    trials.plan(0); // never recorded: the block was empty, or failed

    assertThat(plans(trials, 3, PERIOD - 1)).containsOnly(REQUESTED);
  }

  @Test
  void manyThreads_spaceTheTrialsAtLeastALagApart() {
    int lag = 2 * 12 + 1; // 12 threads
    MatchFinderTrials trials = new MatchFinderTrials(lag);
    trials.plan(0);
    trials.record(0, true);

    assertThat(plans(trials, 1, lag - 1)).containsOnly(REQUESTED);
    assertThat(plans(trials, lag, lag)).containsOnly(TRIAL); // the next trial, 25 blocks on
    trials.record(lag, false);
    assertThat(plans(trials, lag + 1, 2 * lag - 1)).containsOnly(FAST);
    assertThat(plans(trials, 2 * lag + 1, 3 * lag - 1)).containsOnly(REQUESTED);
  }

  @Test
  void aLagBelowOne_isRefused() {
    assertThatThrownBy(() -> new MatchFinderTrials(0)).hasMessageContaining("lag 0");
  }

  private static List<MatchFinderTrials.Plan> plans(MatchFinderTrials trials, long from, long to) {
    List<MatchFinderTrials.Plan> plans = new ArrayList<>();
    for (long index = from; index <= to; index++) {
      plans.add(trials.plan(index));
    }
    return plans;
  }
}
