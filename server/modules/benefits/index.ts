/** The public door of benefits: benefit parameters loaded from data/benefits, and the benefit a case's item pays, computed with its trace. Other modules import only this file. */
export { computeBenefit, forgetBenefitParams, seedBenefitParams } from './benefits.ts';
