package io.kanbu.backup.core.pipeline;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Which of libdeflate's match finders compresses each block of a stream: the requested level's, or
 * level 1's hash table. On {@code pgbench}'s blank-padded rows levels 2-6 all give 28.7 MB and
 * level 1 28.2 MB ({@code gzip -6}: 28.1), at no more CPU; most likely the chains that levels 2-6
 * search to a fixed depth are filled by the run of blanks, where level 1's table keeps the match a
 * row back. On text and source code level 1 is 3-11 % larger and loses every trial.
 *
 * <p>So every {@code period}-th block is a trial, compressed both ways, the smaller kept. A later
 * block follows the last trial that is at least {@code lag} blocks before it: with at most {@code
 * lag - 1} blocks in flight that trial is finished and written when the block is planned, so the
 * same input always gives the same bytes, whatever the threads' timing. Before the first such trial
 * a block takes the requested level. A change in the data is followed within {@code lag + period}
 * blocks (21 MiB on 2 threads).
 *
 * <p>Plans are made on the stream's writing thread in input order; outcomes are recorded on the
 * compressing threads.
 */
final class MatchFinderTrials {

  /** Blocks between trials at least: a trial costs one level 1 compression more (about 3 %). */
  static final int MIN_PERIOD = 16;

  /** What one block is compressed with. */
  enum Plan {
    /** The requested level. */
    REQUESTED,
    /** Level 1's match finder. */
    FAST,
    /** Both; the smaller member is kept and recorded. */
    TRIAL
  }

  private final int period;
  private final int lag;

  /** Trial block index → whether level 1 won; at most the last two trials are kept. */
  private final ConcurrentMap<Long, Boolean> fastWon = new ConcurrentHashMap<>();

  /**
   * @param lag blocks between a trial and the first block that may follow it: one more than the
   *     most blocks in flight
   */
  MatchFinderTrials(int lag) {
    if (lag < 1) {
      throw new IllegalArgumentException("lag " + lag + " is below 1");
    }
    this.lag = lag;
    this.period = Math.max(MIN_PERIOD, lag);
  }

  /** The plan of block {@code index} (0 for the stream's first). */
  Plan plan(long index) {
    if (index % period == 0) {
      return Plan.TRIAL;
    }
    if (index < lag) {
      return Plan.REQUESTED;
    }
    long trial = (index - lag) / period * period;
    fastWon.remove(trial - period); // period >= lag: no later block looks that far back
    // never missing when blocks in flight stay below lag; if they did not, the level is safe
    return Boolean.TRUE.equals(fastWon.get(trial)) ? Plan.FAST : Plan.REQUESTED;
  }

  /** Records the outcome of the trial of block {@code index}. */
  void record(long index, boolean levelOneWon) {
    fastWon.put(index, levelOneWon);
  }
}
