// Original file: proto/asset.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ListBalancesRequest as _brokerage_asset_v1_ListBalancesRequest, ListBalancesRequest__Output as _brokerage_asset_v1_ListBalancesRequest__Output } from '../../../brokerage/asset/v1/ListBalancesRequest.js';
import type { ListBalancesResponse as _brokerage_asset_v1_ListBalancesResponse, ListBalancesResponse__Output as _brokerage_asset_v1_ListBalancesResponse__Output } from '../../../brokerage/asset/v1/ListBalancesResponse.js';

export interface AssetServiceClient extends grpc.Client {
  ListBalances(argument: _brokerage_asset_v1_ListBalancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_asset_v1_ListBalancesResponse__Output>): grpc.ClientUnaryCall;
  ListBalances(argument: _brokerage_asset_v1_ListBalancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_asset_v1_ListBalancesResponse__Output>): grpc.ClientUnaryCall;
  ListBalances(argument: _brokerage_asset_v1_ListBalancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_asset_v1_ListBalancesResponse__Output>): grpc.ClientUnaryCall;
  ListBalances(argument: _brokerage_asset_v1_ListBalancesRequest, callback: grpc.requestCallback<_brokerage_asset_v1_ListBalancesResponse__Output>): grpc.ClientUnaryCall;
  listBalances(argument: _brokerage_asset_v1_ListBalancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_asset_v1_ListBalancesResponse__Output>): grpc.ClientUnaryCall;
  listBalances(argument: _brokerage_asset_v1_ListBalancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_asset_v1_ListBalancesResponse__Output>): grpc.ClientUnaryCall;
  listBalances(argument: _brokerage_asset_v1_ListBalancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_asset_v1_ListBalancesResponse__Output>): grpc.ClientUnaryCall;
  listBalances(argument: _brokerage_asset_v1_ListBalancesRequest, callback: grpc.requestCallback<_brokerage_asset_v1_ListBalancesResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface AssetServiceHandlers extends grpc.UntypedServiceImplementation {
  ListBalances: grpc.handleUnaryCall<_brokerage_asset_v1_ListBalancesRequest__Output, _brokerage_asset_v1_ListBalancesResponse>;
  
}

export interface AssetServiceDefinition extends grpc.ServiceDefinition {
  ListBalances: MethodDefinition<_brokerage_asset_v1_ListBalancesRequest, _brokerage_asset_v1_ListBalancesResponse, _brokerage_asset_v1_ListBalancesRequest__Output, _brokerage_asset_v1_ListBalancesResponse__Output>
}
