import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Actor as _brokerage_common_v1_Actor, Actor__Output as _brokerage_common_v1_Actor__Output } from './brokerage/common/v1/Actor.js';
import type { PageInfo as _brokerage_common_v1_PageInfo, PageInfo__Output as _brokerage_common_v1_PageInfo__Output } from './brokerage/common/v1/PageInfo.js';
import type { PageRequest as _brokerage_common_v1_PageRequest, PageRequest__Output as _brokerage_common_v1_PageRequest__Output } from './brokerage/common/v1/PageRequest.js';
import type { CancelOrderRequest as _brokerage_order_v1_CancelOrderRequest, CancelOrderRequest__Output as _brokerage_order_v1_CancelOrderRequest__Output } from './brokerage/order/v1/CancelOrderRequest.js';
import type { CreateOrderRequest as _brokerage_order_v1_CreateOrderRequest, CreateOrderRequest__Output as _brokerage_order_v1_CreateOrderRequest__Output } from './brokerage/order/v1/CreateOrderRequest.js';
import type { CreateOrderResponse as _brokerage_order_v1_CreateOrderResponse, CreateOrderResponse__Output as _brokerage_order_v1_CreateOrderResponse__Output } from './brokerage/order/v1/CreateOrderResponse.js';
import type { GetOrderRequest as _brokerage_order_v1_GetOrderRequest, GetOrderRequest__Output as _brokerage_order_v1_GetOrderRequest__Output } from './brokerage/order/v1/GetOrderRequest.js';
import type { ListOrdersRequest as _brokerage_order_v1_ListOrdersRequest, ListOrdersRequest__Output as _brokerage_order_v1_ListOrdersRequest__Output } from './brokerage/order/v1/ListOrdersRequest.js';
import type { ListOrdersResponse as _brokerage_order_v1_ListOrdersResponse, ListOrdersResponse__Output as _brokerage_order_v1_ListOrdersResponse__Output } from './brokerage/order/v1/ListOrdersResponse.js';
import type { ListTradesRequest as _brokerage_order_v1_ListTradesRequest, ListTradesRequest__Output as _brokerage_order_v1_ListTradesRequest__Output } from './brokerage/order/v1/ListTradesRequest.js';
import type { ListTradesResponse as _brokerage_order_v1_ListTradesResponse, ListTradesResponse__Output as _brokerage_order_v1_ListTradesResponse__Output } from './brokerage/order/v1/ListTradesResponse.js';
import type { MatchOrderRequest as _brokerage_order_v1_MatchOrderRequest, MatchOrderRequest__Output as _brokerage_order_v1_MatchOrderRequest__Output } from './brokerage/order/v1/MatchOrderRequest.js';
import type { Order as _brokerage_order_v1_Order, Order__Output as _brokerage_order_v1_Order__Output } from './brokerage/order/v1/Order.js';
import type { OrderServiceClient as _brokerage_order_v1_OrderServiceClient, OrderServiceDefinition as _brokerage_order_v1_OrderServiceDefinition } from './brokerage/order/v1/OrderService.js';
import type { StatusChange as _brokerage_order_v1_StatusChange, StatusChange__Output as _brokerage_order_v1_StatusChange__Output } from './brokerage/order/v1/StatusChange.js';
import type { Trade as _brokerage_order_v1_Trade, Trade__Output as _brokerage_order_v1_Trade__Output } from './brokerage/order/v1/Trade.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  brokerage: {
    common: {
      v1: {
        Actor: MessageTypeDefinition<_brokerage_common_v1_Actor, _brokerage_common_v1_Actor__Output>
        CustomerStatus: EnumTypeDefinition
        PageInfo: MessageTypeDefinition<_brokerage_common_v1_PageInfo, _brokerage_common_v1_PageInfo__Output>
        PageRequest: MessageTypeDefinition<_brokerage_common_v1_PageRequest, _brokerage_common_v1_PageRequest__Output>
        Role: EnumTypeDefinition
        Side: EnumTypeDefinition
        Tier: EnumTypeDefinition
      }
    }
    order: {
      v1: {
        CancelOrderRequest: MessageTypeDefinition<_brokerage_order_v1_CancelOrderRequest, _brokerage_order_v1_CancelOrderRequest__Output>
        CreateOrderRequest: MessageTypeDefinition<_brokerage_order_v1_CreateOrderRequest, _brokerage_order_v1_CreateOrderRequest__Output>
        CreateOrderResponse: MessageTypeDefinition<_brokerage_order_v1_CreateOrderResponse, _brokerage_order_v1_CreateOrderResponse__Output>
        GetOrderRequest: MessageTypeDefinition<_brokerage_order_v1_GetOrderRequest, _brokerage_order_v1_GetOrderRequest__Output>
        ListOrdersRequest: MessageTypeDefinition<_brokerage_order_v1_ListOrdersRequest, _brokerage_order_v1_ListOrdersRequest__Output>
        ListOrdersResponse: MessageTypeDefinition<_brokerage_order_v1_ListOrdersResponse, _brokerage_order_v1_ListOrdersResponse__Output>
        ListTradesRequest: MessageTypeDefinition<_brokerage_order_v1_ListTradesRequest, _brokerage_order_v1_ListTradesRequest__Output>
        ListTradesResponse: MessageTypeDefinition<_brokerage_order_v1_ListTradesResponse, _brokerage_order_v1_ListTradesResponse__Output>
        MatchOrderRequest: MessageTypeDefinition<_brokerage_order_v1_MatchOrderRequest, _brokerage_order_v1_MatchOrderRequest__Output>
        Order: MessageTypeDefinition<_brokerage_order_v1_Order, _brokerage_order_v1_Order__Output>
        OrderService: SubtypeConstructor<typeof grpc.Client, _brokerage_order_v1_OrderServiceClient> & { service: _brokerage_order_v1_OrderServiceDefinition }
        OrderStatus: EnumTypeDefinition
        StatusChange: MessageTypeDefinition<_brokerage_order_v1_StatusChange, _brokerage_order_v1_StatusChange__Output>
        Trade: MessageTypeDefinition<_brokerage_order_v1_Trade, _brokerage_order_v1_Trade__Output>
      }
    }
  }
}

