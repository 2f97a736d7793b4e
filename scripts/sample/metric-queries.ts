/**
 * The PromQL the sample's `dataset.json` lists under `metrics.queries`: what `fetch-metrics` would
 * run against each cluster's Prometheus (kube-prometheus recording rules and cAdvisor metrics).
 */
import type { MetricQuery } from '../../src/fetch/plan-queries.ts';
import type { Component } from './cluster.ts';

const OWNER = 'namespace_workload_pod:kube_pod_owner:relabel{namespace="bookinfo"}';
const NOT_PROXY = 'container!~"istio-proxy|linkerd-proxy"';
const PROXY = 'container=~"istio-proxy|linkerd-proxy"';
const CNI = 'namespace="kube-system",container=~"aws-node|cilium-agent"';
const INGRESS =
  'namespace=~"ingress-nginx|istio-ingress|kube-system",container=~"controller|istio-proxy|cilium-envoy"';

/** One query per component and measure, in the order the files are described. */
export const METRIC_QUERIES: readonly (MetricQuery & { component: Component })[] = [
  {
    component: 'app',
    measure: 'cpu',
    query:
      `sum by (namespace, workload, workload_type, pod) (node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate{namespace="bookinfo",${NOT_PROXY}}` +
      ` * on(namespace,pod) group_left(workload, workload_type) ${OWNER})`,
  },
  {
    component: 'app',
    measure: 'memory',
    query:
      `sum by (namespace, workload, workload_type, pod) (container_memory_working_set_bytes{namespace="bookinfo",container!="",image!="",${NOT_PROXY}}` +
      ` * on(namespace,pod) group_left(workload, workload_type) ${OWNER})`,
  },
  {
    component: 'sidecar',
    measure: 'cpu',
    query: `sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="bookinfo",${PROXY}}[1m]))`,
  },
  {
    component: 'sidecar',
    measure: 'memory',
    query: `sum by (pod) (container_memory_working_set_bytes{namespace="bookinfo",${PROXY}})`,
  },
  { component: 'cni', measure: 'cpu', query: `sum by (pod) (rate(container_cpu_usage_seconds_total{${CNI}}[1m]))` },
  { component: 'cni', measure: 'memory', query: `sum by (pod) (container_memory_working_set_bytes{${CNI}})` },
  {
    component: 'ingress',
    measure: 'cpu',
    query: `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{${INGRESS}}[1m]))`,
  },
  { component: 'ingress', measure: 'memory', query: `sum by (namespace, pod) (container_memory_working_set_bytes{${INGRESS}})` },
];

/** Seconds of history a component's CPU value averages over (`irate` on 15 s scrapes vs `rate[1m]`). */
export function cpuWindowSeconds(component: Component): number {
  return component === 'app' ? 30 : 60;
}
