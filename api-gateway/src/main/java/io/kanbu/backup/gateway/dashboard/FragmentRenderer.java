package io.kanbu.backup.gateway.dashboard;

import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;

/**
 * Renders one fragment of a page template to HTML outside a request (for server-sent events).
 * Fragments rendered here build their links with literal substitution, not {@code @{...}}.
 */
@Component
public class FragmentRenderer {

  private final TemplateEngine engine;

  public FragmentRenderer(TemplateEngine engine) {
    this.engine = engine;
  }

  public String render(String template, String fragment, Map<String, Object> variables) {
    Context context = new Context();
    context.setVariables(variables);
    return engine.process(template, Set.of(fragment), context);
  }
}
