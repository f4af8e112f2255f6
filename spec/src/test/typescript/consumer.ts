// A TypeScript team's use of the client generated from the published bundle (typescript-fetch):
// the three operations' requests and answers, and a notification answer. The build type-checks
// it with `tsc --strict` (spec/node-tools.xml, typescript-check): a spec change that breaks this
// code breaks the build. The `@ts-expect-error` lines prove the check has teeth: if the spec
// stopped requiring or typing those fields, the unused directive would fail the build too.
import {
  AddStockBundleRequest,
  AddStockBundleResponse,
  Configuration,
  CreateDeliveryPlanRequest,
  CreateDeliveryPlanResponse,
  DeliveryPlanApi,
  NotificationAnswer,
  ProductCouponApi,
  Stock,
  UpdateStockBudgetRequest,
} from '../../../target/typescript-client';

const configuration = new Configuration({ basePath: 'https://api.mch.weixin.qq.com' });
const deliveryPlans = new DeliveryPlanApi(configuration);
const productCoupons = new ProductCouponApi(configuration);

export async function createPlan(): Promise<string> {
  const request: CreateDeliveryPlanRequest = {
    outRequestNo: 'plan-20250101-0001',
    brandId: '40016',
    productCouponId: '701146876221757924829193824428',
    stockId: '701246876221757924829194755312',
    planName: '冬季饮料投放',
    userLimit: 1,
    // Times are strings in the pages' format, never Date objects (which serialize with Z).
    deliveryStartTime: '2025-01-01T00:00:00+08:00',
  };
  const answer: CreateDeliveryPlanResponse = await deliveryPlans.createDeliveryPlan({ createDeliveryPlanRequest: request });
  const state: string = answer.plan.planState; // open set: any string the service sends
  const start: string | undefined = answer.plan.deliveryStartTime;
  return `${answer.plan.planId} ${state} ${start ?? ''}`;
}

export async function addBundle(): Promise<number> {
  const request: AddStockBundleRequest = {
    outRequestNo: 'bundle-20250101-0001',
    brandId: '120344',
    stockBundle: {
      couponCodeMode: 'UPLOAD',
      stockSendRule: { maxCount: 10000000, maxCountPerUser: 1 },
      progressiveBundleUsageRule: {
        couponAvailablePeriod: {
          availableBeginTime: '2025-01-01T00:00:00+08:00',
          availableEndTime: '2025-10-01T00:00:00+08:00',
          weeklyAvailablePeriod: { dayList: ['MONDAY'], dayPeriodList: [{ beginTime: 60, endTime: 86399 }] },
        },
        normalCouponList: [{ threshold: 10000, discountAmount: 100 }],
      },
      usageRuleDisplayInfo: { couponUsageMethodList: ['MINI_PROGRAM'], usageDescription: '全场可用' },
      couponDisplayInfo: { codeDisplayMode: 'QRCODE', backgroundColor: 'Color010' },
      notifyConfig: { notifyAppid: 'wx4fd12345678' },
      storeScope: 'SPECIFIC',
    },
  };
  const answer: AddStockBundleResponse = await productCoupons.addStockBundle({ productCouponId: '200000001', addStockBundleRequest: request });
  const deactivated: string | undefined = answer.stockList[0]?.deactivateTime;
  return answer.stockList.length + (deactivated === undefined ? 0 : 1);
}

export async function updateBudget(): Promise<number> {
  const request: UpdateStockBudgetRequest = {
    updateMode: 'MAX_COUNT',
    outRequestNo: 'budget-20250101-0001',
    brandId: '120344',
    currentMaxCount: 10000000,
    targetMaxCount: 200,
  };
  const stock: Stock = await productCoupons.updateStockBudget({
    productCouponId: '1000000013',
    stockId: '1000000013001',
    updateStockBudgetRequest: request,
  });
  return stock.stockSendRule.maxCount + stock.sentCountInfo.totalCount;
}

export function notificationNotHandled(reason: string): NotificationAnswer {
  return { code: 'FAIL', message: reason };
}

// What must stay refused at compile time.
// @ts-expect-error out_request_no is required
export const missingRequestNo: CreateDeliveryPlanRequest = { brandId: '40016', productCouponId: '1', stockId: '2' };
// @ts-expect-error the bundle's coupon code mode has no API_ASSIGN
export const apiAssignBundle: AddStockBundleRequest['stockBundle']['couponCodeMode'] = 'API_ASSIGN';
// @ts-expect-error a notification answer's code is SUCCESS or FAIL (应答规范)
export const answerWithUnknownCode: NotificationAnswer = { code: 'DONE' };
export const mixedBudget: UpdateStockBudgetRequest = {
  updateMode: 'MAX_COUNT',
  outRequestNo: 'budget-20250101-0002',
  brandId: '120344',
  // @ts-expect-error the daily pair belongs to MAX_COUNT_PER_DAY
  currentMaxCountPerDay: 1,
};
