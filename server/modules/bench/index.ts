/** The public door of bench: routes that exist only for the benchmarks (BENCH_ROUTES=on). Other modules import only this file. */
export { benchRoutes } from './routes.ts';
