package io.kanbu.backup.model.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * English for the common shapes of a cron expression ({@code at 02:30, on Monday to Friday}). A
 * field it cannot put into words is quoted as written, so the description is never wrong, only
 * sometimes terse.
 */
final class CronDescription {

  private static final Pattern NUMBER = Pattern.compile("\\d{1,2}");
  private static final Pattern NUMBER_LIST = Pattern.compile("\\d{1,2}(,\\d{1,2})+");
  private static final Pattern EVERY_N = Pattern.compile("(\\*|0)/(\\d{1,2})");
  private static final List<String> DAYS =
      List.of("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday");
  private static final List<String> DAY_NAMES =
      List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
  private static final List<String> MONTHS =
      List.of(
          "January",
          "February",
          "March",
          "April",
          "May",
          "June",
          "July",
          "August",
          "September",
          "October",
          "November",
          "December");

  private CronDescription() {}

  /**
   * @param fields the six fields, seconds first
   * @param written the expression as written (macros are named in the description)
   */
  static String describe(List<String> fields, String written) {
    String time = time(fields.get(0), fields.get(1), fields.get(2));
    String days = days(fields.get(3), fields.get(5));
    String month = month(fields.get(4));
    StringBuilder text = new StringBuilder(time);
    if (!(days.equals("every day") && time.startsWith("every"))) {
      text.append(", ").append(days);
    }
    text.append(month);
    if (written.startsWith("@")) {
      text.insert(0, written.toLowerCase(Locale.ROOT) + ": ");
    }
    return text.toString();
  }

  private static String time(String second, String minute, String hour) {
    boolean atSecondZero = second.equals("0");
    if (NUMBER.matcher(minute).matches() && NUMBER.matcher(hour).matches() && isNumber(second)) {
      return "at " + clock(hour, minute, second);
    }
    if (NUMBER.matcher(minute).matches() && NUMBER_LIST.matcher(hour).matches() && atSecondZero) {
      List<String> times = new ArrayList<>();
      for (String h : hour.split(",")) {
        times.add(clock(h, minute, second));
      }
      return "at " + String.join(", ", times);
    }
    if (hour.equals("*") && NUMBER.matcher(minute).matches() && atSecondZero) {
      return "every hour at minute " + Integer.parseInt(minute);
    }
    if (hour.equals("*") && atSecondZero && EVERY_N.matcher(minute).matches()) {
      return "every " + plural(EVERY_N.matcher(minute).replaceAll("$2"), "minute");
    }
    if (hour.equals("*") && minute.equals("*")) {
      if (atSecondZero) {
        return "every minute";
      }
      if (second.equals("*")) {
        return "every second";
      }
      if (EVERY_N.matcher(second).matches()) {
        return "every " + plural(EVERY_N.matcher(second).replaceAll("$2"), "second");
      }
    }
    String text = "at minute '" + minute + "' of hour '" + hour + "'";
    return atSecondZero ? text : "at second '" + second + "', " + text.substring(3);
  }

  private static String days(String dayOfMonth, String dayOfWeek) {
    boolean anyDayOfMonth = dayOfMonth.equals("*") || dayOfMonth.equals("?");
    boolean anyDayOfWeek = dayOfWeek.equals("*") || dayOfWeek.equals("?");
    if (anyDayOfMonth && anyDayOfWeek) {
      return "every day";
    }
    if (anyDayOfMonth) {
      return "on " + weekdays(dayOfWeek);
    }
    String monthDays =
        dayOfMonth.equalsIgnoreCase("L")
            ? "on the last day of the month"
            : "on day " + dayOfMonth.replace(",", ", ") + " of the month";
    return anyDayOfWeek ? monthDays : monthDays + " or on " + weekdays(dayOfWeek);
  }

  private static String weekdays(String field) {
    List<String> parts = new ArrayList<>();
    for (String part : field.split(",")) {
      String[] range = part.split("-");
      String from = dayName(range[0]);
      String to = range.length == 2 ? dayName(range[1]) : "";
      if (from.isEmpty() || range.length > 2 || (range.length == 2 && to.isEmpty())) {
        return "days of the week '" + field + "'";
      }
      parts.add(range.length == 2 ? from + " to " + to : from);
    }
    return String.join(", ", parts);
  }

  private static String dayName(String value) {
    String upper = value.toUpperCase(Locale.ROOT);
    if (NUMBER.matcher(upper).matches()) {
      int day = Integer.parseInt(upper);
      return day <= 7 ? DAYS.get(day % 7) : "";
    }
    int index = DAY_NAMES.indexOf(upper);
    return index < 0 ? "" : DAYS.get(index);
  }

  private static String month(String field) {
    if (field.equals("*") || field.equals("?")) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    for (String part : field.split(",")) {
      String[] range = part.split("-");
      String from = monthName(range[0]);
      String to = range.length == 2 ? monthName(range[1]) : "";
      if (from.isEmpty() || range.length > 2 || (range.length == 2 && to.isEmpty())) {
        return ", in months '" + field + "'";
      }
      parts.add(range.length == 2 ? from + " to " + to : from);
    }
    return ", in " + String.join(", ", parts);
  }

  private static String monthName(String value) {
    String upper = value.toUpperCase(Locale.ROOT);
    if (NUMBER.matcher(upper).matches()) {
      int month = Integer.parseInt(upper);
      return month >= 1 && month <= 12 ? MONTHS.get(month - 1) : "";
    }
    for (String month : MONTHS) {
      if (month.substring(0, 3).toUpperCase(Locale.ROOT).equals(upper)) {
        return month;
      }
    }
    return "";
  }

  private static boolean isNumber(String field) {
    return NUMBER.matcher(field).matches();
  }

  private static String clock(String hour, String minute, String second) {
    String text =
        String.format(Locale.ROOT, "%02d:%02d", Integer.parseInt(hour), Integer.parseInt(minute));
    return second.equals("0")
        ? text
        : text + String.format(Locale.ROOT, ":%02d", Integer.parseInt(second));
  }

  private static String plural(String count, String unit) {
    return count.equals("1") ? unit : Integer.parseInt(count) + " " + unit + "s";
  }
}
