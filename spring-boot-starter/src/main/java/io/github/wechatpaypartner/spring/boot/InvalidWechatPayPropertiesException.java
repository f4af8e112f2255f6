package io.github.wechatpaypartner.spring.boot;

import java.util.List;

/**
 * The {@code wechatpay.*} properties cannot make a working client: each problem names its property
 * and the rule it breaks ({@code wechatpay.merchants.brand-a.api-v3-key: must be exactly 32
 * bytes...}), never a secret. Thrown while the application starts; {@link
 * WechatPayPropertiesFailureAnalyzer} turns it into Spring Boot's "APPLICATION FAILED TO START"
 * report.
 */
public class InvalidWechatPayPropertiesException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public InvalidWechatPayPropertiesException(List<String> problems) {
    super("Invalid WeChat Pay properties:\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  /** One line per problem: {@code property: rule}. */
  public List<String> problems() {
    return problems;
  }
}
