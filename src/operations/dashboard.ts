import { DashboardInputSchema, DashboardSchema } from '../../schemas/dashboard.ts';
import { getDashboard } from '../services/dashboard/get.ts';
import { defineOperation } from './types.ts';

export const dashboardOperations = [
  defineOperation({
    name: 'dashboard_get',
    title: 'Inventory dashboard',
    description: 'Totals by kind and device status, IPv4 utilization, the fullest networks, stale devices.',
    permission: 'dashboard:read',
    annotations: { readOnly: true, destructive: false, idempotent: true },
    input: DashboardInputSchema,
    output: DashboardSchema,
    run: getDashboard,
    http: { method: 'GET', path: '/api/dashboard' },
    toolset: 'inventory',
  }),
];
