package io.kanbu.backup.gateway.dashboard;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every page's template may use. */
@ControllerAdvice(basePackageClasses = DashboardModel.class)
public class DashboardModel {

  @ModelAttribute("fmt")
  public Formats formats() {
    return Formats.INSTANCE;
  }
}
