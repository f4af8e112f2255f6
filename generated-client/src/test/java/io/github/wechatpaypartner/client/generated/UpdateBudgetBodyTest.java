package io.github.wechatpaypartner.client.generated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wechatpaypartner.client.model.UpdateMaxCountBudget;
import io.github.wechatpaypartner.client.model.UpdateMaxCountPerDayBudget;
import io.github.wechatpaypartner.client.model.UpdateStockBudgetRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The update-budget body is a oneOf of two closed objects chosen by update_mode: one Java type per
 * mode, the wrapper built from one of them, update_mode filled in by the type itself.
 */
class UpdateBudgetBodyTest {

  @Test
  void eachBranchSetsItsOwnUpdateMode() throws Exception {
    JsonNode total = SpecSupport.MAPPER.valueToTree(new UpdateStockBudgetRequest(new UpdateMaxCountBudget()
        .outRequestNo("update_budget_1").brandId("120344").currentMaxCount(10L).targetMaxCount(20L)));
    JsonNode daily = SpecSupport.MAPPER.valueToTree(new UpdateStockBudgetRequest(new UpdateMaxCountPerDayBudget()
        .outRequestNo("update_budget_2").brandId("120344").currentMaxCountPerDay(10L).targetMaxCountPerDay(5L)));

    assertEquals(discriminatorValueOf("UpdateMaxCountBudget"), total.get("update_mode").asText());
    assertEquals(discriminatorValueOf("UpdateMaxCountPerDayBudget"), daily.get("update_mode").asText());
    // Closed branches: the other mode's pair cannot even be expressed, so it is never sent.
    assertTrue(!total.has("target_max_count_per_day") && !daily.has("target_max_count"));
    assertEquals(5, total.size());
  }

  @Test
  void specExamplesSelectTheRightBranch() throws Exception {
    SpecSupport.examples("updateStockBudget", SpecSupport.json(
        SpecSupport.operations().get("updateStockBudget").getRequestBody().getContent())).forEach(ex -> {
          try {
            UpdateStockBudgetRequest body = SpecSupport.MAPPER.treeToValue(ex.value, UpdateStockBudgetRequest.class);
            String mode = ex.value.get("update_mode").asText();
            Class<?> expected = mode.equals(discriminatorValueOf("UpdateMaxCountBudget"))
                ? UpdateMaxCountBudget.class : UpdateMaxCountPerDayBudget.class;
            assertInstanceOf(expected, body.getActualInstance(), ex.name);
            assertEquals(List.of(), JsonTrees.differences(ex.value, SpecSupport.MAPPER.valueToTree(body)));
          } catch (Exception e) {
            throw new AssertionError(ex.name, e);
          }
        });
  }

  /** The mapping value of a branch in the spec's discriminator. */
  private static String discriminatorValueOf(String schemaName) {
    return SpecSupport.openApi().getComponents().getSchemas().get("UpdateStockBudgetRequest")
        .getDiscriminator().getMapping().entrySet().stream()
        .filter(e -> e.getValue().endsWith("/" + schemaName)).findFirst().orElseThrow().getKey();
  }
}
