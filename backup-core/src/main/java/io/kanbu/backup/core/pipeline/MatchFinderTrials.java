package io.kanbu.backup.core.pipeline;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Which of libdeflate's two match finders compresses each block of a stream. Levels 2-9 search hash
 * chains to a fixed depth; on long runs of one byte (blank-padded {@code char(n)} columns, zero
 * fill) every candidate they look at lies inside the run, and the single-entry hash table of level
 * 1 finds the longer matches a row back: on {@code pgbench}'s rows level 1 is 1.7 % smaller than
 * level 6 (and 0.4 % over {@code gzip -6} where level 6 is 2.1 % over) and no slower. On text and
 * source code level 1 is 3-11 % larger, and never chosen.
 *
 * <p>So every {@code period}-th block is a trial, compressed both ways, the smaller kept. A later
 * block follows the last trial that is at least {@code lag} blocks before it: with at most {@code
 * lag - 1} blocks in flight that trial is finished and written when the block is planned, so the
 * same input always gives the same bytes, whatever the threads' timing. Before the first such trial
 * a block takes the requested level.
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

  /** Trial block index → whether level 1 won; only the last two trials are kept. */
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
