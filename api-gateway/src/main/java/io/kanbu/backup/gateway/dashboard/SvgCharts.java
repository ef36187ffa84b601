package io.kanbu.backup.gateway.dashboard;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Small charts drawn on the server as SVG coordinates (no script, so the strict CSP holds): a line
 * of values over time, and stacked bars of job outcomes per day. The template draws the shapes.
 */
public final class SvgCharts {

  /** Drawing area, in SVG units. */
  static final int WIDTH = 600;

  static final int HEIGHT = 160;

  /** Room above the highest point of a line for its label. */
  static final int LABEL_ROOM = 24;

  private SvgCharts() {}

  /** One value at one time. */
  public record Point(Instant at, double value) {}

  /** A line chart: {@code points} is the SVG polyline attribute; {@code maxLabel} names the top. */
  public record Line(String title, String points, String maxLabel, int count) {}

  /** One day's bar: heights of its succeeded and failed parts, and its label. */
  public record Bar(
      int x,
      int width,
      int succeededY,
      int succeededHeight,
      int failedY,
      int failedHeight,
      String label) {}

  /** A line over time; values are scaled to the drawing area, times spread evenly. */
  public static Line line(
      String title, List<Point> points, java.util.function.DoubleFunction<String> label) {
    double max = points.stream().mapToDouble(Point::value).max().orElse(0);
    int n = points.size();
    String coordinates =
        java.util.stream.IntStream.range(0, n)
            .mapToObj(
                i -> {
                  double x = n == 1 ? WIDTH / 2.0 : i * (double) WIDTH / (n - 1);
                  double y =
                      max == 0 ? HEIGHT : HEIGHT - points.get(i).value() / max * (HEIGHT - 10);
                  return String.format(Locale.ROOT, "%.1f,%.1f", x, y);
                })
            .collect(Collectors.joining(" "));
    return new Line(title, coordinates, label.apply(max), n);
  }

  /** One day of job outcomes. */
  public record DayOutcomes(LocalDate day, long succeeded, long failed) {}

  /** Stacked bars, one per day, succeeded below failed, on a common scale. */
  public static List<Bar> bars(List<DayOutcomes> days) {
    long max = days.stream().mapToLong(d -> d.succeeded() + d.failed()).max().orElse(0);
    int slot = days.isEmpty() ? WIDTH : WIDTH / days.size();
    int width = Math.max(slot - 4, 2);
    return java.util.stream.IntStream.range(0, days.size())
        .mapToObj(
            i -> {
              DayOutcomes d = days.get(i);
              int ok = max == 0 ? 0 : (int) Math.round(d.succeeded() * (HEIGHT - 10.0) / max);
              int bad = max == 0 ? 0 : (int) Math.round(d.failed() * (HEIGHT - 10.0) / max);
              return new Bar(
                  i * slot + 2,
                  width,
                  HEIGHT - ok,
                  ok,
                  HEIGHT - ok - bad,
                  bad,
                  d.day().getMonthValue()
                      + "/"
                      + d.day().getDayOfMonth()
                      + ": "
                      + d.succeeded()
                      + " ok, "
                      + d.failed()
                      + " failed");
            })
        .toList();
  }
}
