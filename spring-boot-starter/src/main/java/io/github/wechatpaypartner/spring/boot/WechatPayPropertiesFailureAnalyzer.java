package io.github.wechatpaypartner.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports wrong {@code wechatpay.*} properties by name and rule, instead of a stack trace. */
class WechatPayPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<InvalidWechatPayPropertiesException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InvalidWechatPayPropertiesException cause) {
    String description = "The WeChat Pay properties cannot make a working client:\n\n    "
        + String.join("\n    ", cause.problems()) + "\n";
    String action = "Correct the properties named above (every wechatpay.* key is described in the starter's"
        + " configuration metadata: your IDE completes and explains them).";
    return new FailureAnalysis(description, action, cause);
  }
}
