import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Actor as _brokerage_common_v1_Actor, Actor__Output as _brokerage_common_v1_Actor__Output } from './brokerage/common/v1/Actor.js';
import type { PageInfo as _brokerage_common_v1_PageInfo, PageInfo__Output as _brokerage_common_v1_PageInfo__Output } from './brokerage/common/v1/PageInfo.js';
import type { PageRequest as _brokerage_common_v1_PageRequest, PageRequest__Output as _brokerage_common_v1_PageRequest__Output } from './brokerage/common/v1/PageRequest.js';
import type { GetOrderBookRequest as _brokerage_processor_v1_GetOrderBookRequest, GetOrderBookRequest__Output as _brokerage_processor_v1_GetOrderBookRequest__Output } from './brokerage/processor/v1/GetOrderBookRequest.js';
import type { ListMarketsRequest as _brokerage_processor_v1_ListMarketsRequest, ListMarketsRequest__Output as _brokerage_processor_v1_ListMarketsRequest__Output } from './brokerage/processor/v1/ListMarketsRequest.js';
import type { ListMarketsResponse as _brokerage_processor_v1_ListMarketsResponse, ListMarketsResponse__Output as _brokerage_processor_v1_ListMarketsResponse__Output } from './brokerage/processor/v1/ListMarketsResponse.js';
import type { Market as _brokerage_processor_v1_Market, Market__Output as _brokerage_processor_v1_Market__Output } from './brokerage/processor/v1/Market.js';
import type { OrderBook as _brokerage_processor_v1_OrderBook, OrderBook__Output as _brokerage_processor_v1_OrderBook__Output } from './brokerage/processor/v1/OrderBook.js';
import type { PriceLevel as _brokerage_processor_v1_PriceLevel, PriceLevel__Output as _brokerage_processor_v1_PriceLevel__Output } from './brokerage/processor/v1/PriceLevel.js';
import type { ProcessorServiceClient as _brokerage_processor_v1_ProcessorServiceClient, ProcessorServiceDefinition as _brokerage_processor_v1_ProcessorServiceDefinition } from './brokerage/processor/v1/ProcessorService.js';
import type { SetMarketRequest as _brokerage_processor_v1_SetMarketRequest, SetMarketRequest__Output as _brokerage_processor_v1_SetMarketRequest__Output } from './brokerage/processor/v1/SetMarketRequest.js';

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
    processor: {
      v1: {
        GetOrderBookRequest: MessageTypeDefinition<_brokerage_processor_v1_GetOrderBookRequest, _brokerage_processor_v1_GetOrderBookRequest__Output>
        ListMarketsRequest: MessageTypeDefinition<_brokerage_processor_v1_ListMarketsRequest, _brokerage_processor_v1_ListMarketsRequest__Output>
        ListMarketsResponse: MessageTypeDefinition<_brokerage_processor_v1_ListMarketsResponse, _brokerage_processor_v1_ListMarketsResponse__Output>
        Market: MessageTypeDefinition<_brokerage_processor_v1_Market, _brokerage_processor_v1_Market__Output>
        OrderBook: MessageTypeDefinition<_brokerage_processor_v1_OrderBook, _brokerage_processor_v1_OrderBook__Output>
        PriceLevel: MessageTypeDefinition<_brokerage_processor_v1_PriceLevel, _brokerage_processor_v1_PriceLevel__Output>
        ProcessorService: SubtypeConstructor<typeof grpc.Client, _brokerage_processor_v1_ProcessorServiceClient> & { service: _brokerage_processor_v1_ProcessorServiceDefinition }
        SetMarketRequest: MessageTypeDefinition<_brokerage_processor_v1_SetMarketRequest, _brokerage_processor_v1_SetMarketRequest__Output>
      }
    }
  }
}

