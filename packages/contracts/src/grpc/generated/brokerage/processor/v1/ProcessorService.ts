// Original file: proto/processor.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetOrderBookRequest as _brokerage_processor_v1_GetOrderBookRequest, GetOrderBookRequest__Output as _brokerage_processor_v1_GetOrderBookRequest__Output } from '../../../brokerage/processor/v1/GetOrderBookRequest.js';
import type { ListMarketsRequest as _brokerage_processor_v1_ListMarketsRequest, ListMarketsRequest__Output as _brokerage_processor_v1_ListMarketsRequest__Output } from '../../../brokerage/processor/v1/ListMarketsRequest.js';
import type { ListMarketsResponse as _brokerage_processor_v1_ListMarketsResponse, ListMarketsResponse__Output as _brokerage_processor_v1_ListMarketsResponse__Output } from '../../../brokerage/processor/v1/ListMarketsResponse.js';
import type { Market as _brokerage_processor_v1_Market, Market__Output as _brokerage_processor_v1_Market__Output } from '../../../brokerage/processor/v1/Market.js';
import type { OrderBook as _brokerage_processor_v1_OrderBook, OrderBook__Output as _brokerage_processor_v1_OrderBook__Output } from '../../../brokerage/processor/v1/OrderBook.js';
import type { SetMarketRequest as _brokerage_processor_v1_SetMarketRequest, SetMarketRequest__Output as _brokerage_processor_v1_SetMarketRequest__Output } from '../../../brokerage/processor/v1/SetMarketRequest.js';

export interface ProcessorServiceClient extends grpc.Client {
  GetOrderBook(argument: _brokerage_processor_v1_GetOrderBookRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_processor_v1_OrderBook__Output>): grpc.ClientUnaryCall;
  GetOrderBook(argument: _brokerage_processor_v1_GetOrderBookRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_processor_v1_OrderBook__Output>): grpc.ClientUnaryCall;
  GetOrderBook(argument: _brokerage_processor_v1_GetOrderBookRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_processor_v1_OrderBook__Output>): grpc.ClientUnaryCall;
  GetOrderBook(argument: _brokerage_processor_v1_GetOrderBookRequest, callback: grpc.requestCallback<_brokerage_processor_v1_OrderBook__Output>): grpc.ClientUnaryCall;
  getOrderBook(argument: _brokerage_processor_v1_GetOrderBookRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_processor_v1_OrderBook__Output>): grpc.ClientUnaryCall;
  getOrderBook(argument: _brokerage_processor_v1_GetOrderBookRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_processor_v1_OrderBook__Output>): grpc.ClientUnaryCall;
  getOrderBook(argument: _brokerage_processor_v1_GetOrderBookRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_processor_v1_OrderBook__Output>): grpc.ClientUnaryCall;
  getOrderBook(argument: _brokerage_processor_v1_GetOrderBookRequest, callback: grpc.requestCallback<_brokerage_processor_v1_OrderBook__Output>): grpc.ClientUnaryCall;
  
  ListMarkets(argument: _brokerage_processor_v1_ListMarketsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_processor_v1_ListMarketsResponse__Output>): grpc.ClientUnaryCall;
  ListMarkets(argument: _brokerage_processor_v1_ListMarketsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_processor_v1_ListMarketsResponse__Output>): grpc.ClientUnaryCall;
  ListMarkets(argument: _brokerage_processor_v1_ListMarketsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_processor_v1_ListMarketsResponse__Output>): grpc.ClientUnaryCall;
  ListMarkets(argument: _brokerage_processor_v1_ListMarketsRequest, callback: grpc.requestCallback<_brokerage_processor_v1_ListMarketsResponse__Output>): grpc.ClientUnaryCall;
  listMarkets(argument: _brokerage_processor_v1_ListMarketsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_processor_v1_ListMarketsResponse__Output>): grpc.ClientUnaryCall;
  listMarkets(argument: _brokerage_processor_v1_ListMarketsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_processor_v1_ListMarketsResponse__Output>): grpc.ClientUnaryCall;
  listMarkets(argument: _brokerage_processor_v1_ListMarketsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_processor_v1_ListMarketsResponse__Output>): grpc.ClientUnaryCall;
  listMarkets(argument: _brokerage_processor_v1_ListMarketsRequest, callback: grpc.requestCallback<_brokerage_processor_v1_ListMarketsResponse__Output>): grpc.ClientUnaryCall;
  
  SetMarket(argument: _brokerage_processor_v1_SetMarketRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_processor_v1_Market__Output>): grpc.ClientUnaryCall;
  SetMarket(argument: _brokerage_processor_v1_SetMarketRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_processor_v1_Market__Output>): grpc.ClientUnaryCall;
  SetMarket(argument: _brokerage_processor_v1_SetMarketRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_processor_v1_Market__Output>): grpc.ClientUnaryCall;
  SetMarket(argument: _brokerage_processor_v1_SetMarketRequest, callback: grpc.requestCallback<_brokerage_processor_v1_Market__Output>): grpc.ClientUnaryCall;
  setMarket(argument: _brokerage_processor_v1_SetMarketRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_processor_v1_Market__Output>): grpc.ClientUnaryCall;
  setMarket(argument: _brokerage_processor_v1_SetMarketRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_processor_v1_Market__Output>): grpc.ClientUnaryCall;
  setMarket(argument: _brokerage_processor_v1_SetMarketRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_processor_v1_Market__Output>): grpc.ClientUnaryCall;
  setMarket(argument: _brokerage_processor_v1_SetMarketRequest, callback: grpc.requestCallback<_brokerage_processor_v1_Market__Output>): grpc.ClientUnaryCall;
  
}

export interface ProcessorServiceHandlers extends grpc.UntypedServiceImplementation {
  GetOrderBook: grpc.handleUnaryCall<_brokerage_processor_v1_GetOrderBookRequest__Output, _brokerage_processor_v1_OrderBook>;
  
  ListMarkets: grpc.handleUnaryCall<_brokerage_processor_v1_ListMarketsRequest__Output, _brokerage_processor_v1_ListMarketsResponse>;
  
  SetMarket: grpc.handleUnaryCall<_brokerage_processor_v1_SetMarketRequest__Output, _brokerage_processor_v1_Market>;
  
}

export interface ProcessorServiceDefinition extends grpc.ServiceDefinition {
  GetOrderBook: MethodDefinition<_brokerage_processor_v1_GetOrderBookRequest, _brokerage_processor_v1_OrderBook, _brokerage_processor_v1_GetOrderBookRequest__Output, _brokerage_processor_v1_OrderBook__Output>
  ListMarkets: MethodDefinition<_brokerage_processor_v1_ListMarketsRequest, _brokerage_processor_v1_ListMarketsResponse, _brokerage_processor_v1_ListMarketsRequest__Output, _brokerage_processor_v1_ListMarketsResponse__Output>
  SetMarket: MethodDefinition<_brokerage_processor_v1_SetMarketRequest, _brokerage_processor_v1_Market, _brokerage_processor_v1_SetMarketRequest__Output, _brokerage_processor_v1_Market__Output>
}
