// Original file: proto/order.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CancelOrderRequest as _brokerage_order_v1_CancelOrderRequest, CancelOrderRequest__Output as _brokerage_order_v1_CancelOrderRequest__Output } from '../../../brokerage/order/v1/CancelOrderRequest.js';
import type { CreateOrderRequest as _brokerage_order_v1_CreateOrderRequest, CreateOrderRequest__Output as _brokerage_order_v1_CreateOrderRequest__Output } from '../../../brokerage/order/v1/CreateOrderRequest.js';
import type { CreateOrderResponse as _brokerage_order_v1_CreateOrderResponse, CreateOrderResponse__Output as _brokerage_order_v1_CreateOrderResponse__Output } from '../../../brokerage/order/v1/CreateOrderResponse.js';
import type { GetOrderRequest as _brokerage_order_v1_GetOrderRequest, GetOrderRequest__Output as _brokerage_order_v1_GetOrderRequest__Output } from '../../../brokerage/order/v1/GetOrderRequest.js';
import type { ListOrdersRequest as _brokerage_order_v1_ListOrdersRequest, ListOrdersRequest__Output as _brokerage_order_v1_ListOrdersRequest__Output } from '../../../brokerage/order/v1/ListOrdersRequest.js';
import type { ListOrdersResponse as _brokerage_order_v1_ListOrdersResponse, ListOrdersResponse__Output as _brokerage_order_v1_ListOrdersResponse__Output } from '../../../brokerage/order/v1/ListOrdersResponse.js';
import type { ListTradesRequest as _brokerage_order_v1_ListTradesRequest, ListTradesRequest__Output as _brokerage_order_v1_ListTradesRequest__Output } from '../../../brokerage/order/v1/ListTradesRequest.js';
import type { ListTradesResponse as _brokerage_order_v1_ListTradesResponse, ListTradesResponse__Output as _brokerage_order_v1_ListTradesResponse__Output } from '../../../brokerage/order/v1/ListTradesResponse.js';
import type { MatchOrderRequest as _brokerage_order_v1_MatchOrderRequest, MatchOrderRequest__Output as _brokerage_order_v1_MatchOrderRequest__Output } from '../../../brokerage/order/v1/MatchOrderRequest.js';
import type { Order as _brokerage_order_v1_Order, Order__Output as _brokerage_order_v1_Order__Output } from '../../../brokerage/order/v1/Order.js';

export interface OrderServiceClient extends grpc.Client {
  CancelOrder(argument: _brokerage_order_v1_CancelOrderRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  CancelOrder(argument: _brokerage_order_v1_CancelOrderRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  CancelOrder(argument: _brokerage_order_v1_CancelOrderRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  CancelOrder(argument: _brokerage_order_v1_CancelOrderRequest, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  cancelOrder(argument: _brokerage_order_v1_CancelOrderRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  cancelOrder(argument: _brokerage_order_v1_CancelOrderRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  cancelOrder(argument: _brokerage_order_v1_CancelOrderRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  cancelOrder(argument: _brokerage_order_v1_CancelOrderRequest, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  
  CreateOrder(argument: _brokerage_order_v1_CreateOrderRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_CreateOrderResponse__Output>): grpc.ClientUnaryCall;
  CreateOrder(argument: _brokerage_order_v1_CreateOrderRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_order_v1_CreateOrderResponse__Output>): grpc.ClientUnaryCall;
  CreateOrder(argument: _brokerage_order_v1_CreateOrderRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_CreateOrderResponse__Output>): grpc.ClientUnaryCall;
  CreateOrder(argument: _brokerage_order_v1_CreateOrderRequest, callback: grpc.requestCallback<_brokerage_order_v1_CreateOrderResponse__Output>): grpc.ClientUnaryCall;
  createOrder(argument: _brokerage_order_v1_CreateOrderRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_CreateOrderResponse__Output>): grpc.ClientUnaryCall;
  createOrder(argument: _brokerage_order_v1_CreateOrderRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_order_v1_CreateOrderResponse__Output>): grpc.ClientUnaryCall;
  createOrder(argument: _brokerage_order_v1_CreateOrderRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_CreateOrderResponse__Output>): grpc.ClientUnaryCall;
  createOrder(argument: _brokerage_order_v1_CreateOrderRequest, callback: grpc.requestCallback<_brokerage_order_v1_CreateOrderResponse__Output>): grpc.ClientUnaryCall;
  
  GetOrder(argument: _brokerage_order_v1_GetOrderRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  GetOrder(argument: _brokerage_order_v1_GetOrderRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  GetOrder(argument: _brokerage_order_v1_GetOrderRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  GetOrder(argument: _brokerage_order_v1_GetOrderRequest, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  getOrder(argument: _brokerage_order_v1_GetOrderRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  getOrder(argument: _brokerage_order_v1_GetOrderRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  getOrder(argument: _brokerage_order_v1_GetOrderRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  getOrder(argument: _brokerage_order_v1_GetOrderRequest, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  
  ListOrders(argument: _brokerage_order_v1_ListOrdersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  ListOrders(argument: _brokerage_order_v1_ListOrdersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_order_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  ListOrders(argument: _brokerage_order_v1_ListOrdersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  ListOrders(argument: _brokerage_order_v1_ListOrdersRequest, callback: grpc.requestCallback<_brokerage_order_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  listOrders(argument: _brokerage_order_v1_ListOrdersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  listOrders(argument: _brokerage_order_v1_ListOrdersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_order_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  listOrders(argument: _brokerage_order_v1_ListOrdersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  listOrders(argument: _brokerage_order_v1_ListOrdersRequest, callback: grpc.requestCallback<_brokerage_order_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  
  ListTrades(argument: _brokerage_order_v1_ListTradesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_ListTradesResponse__Output>): grpc.ClientUnaryCall;
  ListTrades(argument: _brokerage_order_v1_ListTradesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_order_v1_ListTradesResponse__Output>): grpc.ClientUnaryCall;
  ListTrades(argument: _brokerage_order_v1_ListTradesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_ListTradesResponse__Output>): grpc.ClientUnaryCall;
  ListTrades(argument: _brokerage_order_v1_ListTradesRequest, callback: grpc.requestCallback<_brokerage_order_v1_ListTradesResponse__Output>): grpc.ClientUnaryCall;
  listTrades(argument: _brokerage_order_v1_ListTradesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_ListTradesResponse__Output>): grpc.ClientUnaryCall;
  listTrades(argument: _brokerage_order_v1_ListTradesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_order_v1_ListTradesResponse__Output>): grpc.ClientUnaryCall;
  listTrades(argument: _brokerage_order_v1_ListTradesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_ListTradesResponse__Output>): grpc.ClientUnaryCall;
  listTrades(argument: _brokerage_order_v1_ListTradesRequest, callback: grpc.requestCallback<_brokerage_order_v1_ListTradesResponse__Output>): grpc.ClientUnaryCall;
  
  MatchOrder(argument: _brokerage_order_v1_MatchOrderRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  MatchOrder(argument: _brokerage_order_v1_MatchOrderRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  MatchOrder(argument: _brokerage_order_v1_MatchOrderRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  MatchOrder(argument: _brokerage_order_v1_MatchOrderRequest, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  matchOrder(argument: _brokerage_order_v1_MatchOrderRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  matchOrder(argument: _brokerage_order_v1_MatchOrderRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  matchOrder(argument: _brokerage_order_v1_MatchOrderRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  matchOrder(argument: _brokerage_order_v1_MatchOrderRequest, callback: grpc.requestCallback<_brokerage_order_v1_Order__Output>): grpc.ClientUnaryCall;
  
}

export interface OrderServiceHandlers extends grpc.UntypedServiceImplementation {
  CancelOrder: grpc.handleUnaryCall<_brokerage_order_v1_CancelOrderRequest__Output, _brokerage_order_v1_Order>;
  
  CreateOrder: grpc.handleUnaryCall<_brokerage_order_v1_CreateOrderRequest__Output, _brokerage_order_v1_CreateOrderResponse>;
  
  GetOrder: grpc.handleUnaryCall<_brokerage_order_v1_GetOrderRequest__Output, _brokerage_order_v1_Order>;
  
  ListOrders: grpc.handleUnaryCall<_brokerage_order_v1_ListOrdersRequest__Output, _brokerage_order_v1_ListOrdersResponse>;
  
  ListTrades: grpc.handleUnaryCall<_brokerage_order_v1_ListTradesRequest__Output, _brokerage_order_v1_ListTradesResponse>;
  
  MatchOrder: grpc.handleUnaryCall<_brokerage_order_v1_MatchOrderRequest__Output, _brokerage_order_v1_Order>;
  
}

export interface OrderServiceDefinition extends grpc.ServiceDefinition {
  CancelOrder: MethodDefinition<_brokerage_order_v1_CancelOrderRequest, _brokerage_order_v1_Order, _brokerage_order_v1_CancelOrderRequest__Output, _brokerage_order_v1_Order__Output>
  CreateOrder: MethodDefinition<_brokerage_order_v1_CreateOrderRequest, _brokerage_order_v1_CreateOrderResponse, _brokerage_order_v1_CreateOrderRequest__Output, _brokerage_order_v1_CreateOrderResponse__Output>
  GetOrder: MethodDefinition<_brokerage_order_v1_GetOrderRequest, _brokerage_order_v1_Order, _brokerage_order_v1_GetOrderRequest__Output, _brokerage_order_v1_Order__Output>
  ListOrders: MethodDefinition<_brokerage_order_v1_ListOrdersRequest, _brokerage_order_v1_ListOrdersResponse, _brokerage_order_v1_ListOrdersRequest__Output, _brokerage_order_v1_ListOrdersResponse__Output>
  ListTrades: MethodDefinition<_brokerage_order_v1_ListTradesRequest, _brokerage_order_v1_ListTradesResponse, _brokerage_order_v1_ListTradesRequest__Output, _brokerage_order_v1_ListTradesResponse__Output>
  MatchOrder: MethodDefinition<_brokerage_order_v1_MatchOrderRequest, _brokerage_order_v1_Order, _brokerage_order_v1_MatchOrderRequest__Output, _brokerage_order_v1_Order__Output>
}
