package io.github.wechatpaypartner.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The state the sandbox keeps for one operation of its spec, and the rules it applies to a call of
 * it. An operation without one is still served: after every check (signature, path, query, body)
 * it is answered from the spec's 2xx example, with the call's path and query values copied into
 * the answer's fields of the same name, and marked so (header {@code Wechatpay-Sandbox-Answer:
 * spec-example}, a note in the request record, the banner's list).
 *
 * <p>To model a new operation: write one class implementing this interface (public, with a public
 * no-argument constructor; keep its data in its own fields) and name it in
 * {@code META-INF/services/io.github.wechatpaypartner.sandbox.OperationState} of its jar: every
 * sandbox that has it on its classpath and whose spec has the operation uses it. The three
 * operations of the pages are modelled by {@link MarketingState} itself, and
 * {@code downloadCertificates} by the sandbox's keys ({@link SandboxKeys}).
 */
public interface OperationState {
  /** The spec's operationId this class models. */
  String operationId();

  /**
   * The 2xx answer's body for a call that passed the spec's checks (null for an answer without
   * body), or {@link OperationCall#refuse}'s exception. Calls are serialized: one at a time.
   */
  JsonNode answer(OperationCall call);

  /** Back to the state before the first call ({@code Sandbox.reset()}). */
  default void reset() {
  }
}
